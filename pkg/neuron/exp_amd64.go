package neuron

import "golang.org/x/sys/cpu"

// haveExpAsm tells whether expOneAsm may run here.
var haveExpAsm = cpu.X86.HasAVX2

// expOneAsm is the vector loop of Exp.stepOne (exp_amd64.s).
//
//go:noescape
func expOneAsm(v, iex, ex *float64, ref *int32, n int, c *[5]float64, out *int32, first int32) int
