package neuron

import "golang.org/x/sys/cpu"

// haveExpAsm tells whether expOneAsm may run here.
var haveExpAsm = cpu.X86.HasAVX2

// expOneAsm is the vector loop of Exp.stepOne (exp_amd64.s).
//
//go:noescape
func expOneAsm(v, iex, ex *float64, ref *int32, n int, c *[5]float64, out *int32, first int32) int

// stepOne is Step for one channel: every input is in in.Ex and IEx. With
// AVX2 it takes four neurons at a time (exp_amd64.s), with the same bits.
func (m *Exp) stepOne(s *State, lo, hi int, in Input, spiked []int32) []int32 {
	n4 := (hi - lo) &^ 3
	if !haveExpAsm || n4 == 0 {
		return m.stepOneGo(s, lo, hi, in, spiked)
	}
	c := [5]float64{m.p22, m.ie * m.p20, m.p21ex, m.p11ex, m.theta}
	var buf [256]int32 // spikes of up to 256 neurons
	for a := lo; a < lo+n4; a += len(buf) {
		b := min(a+len(buf), lo+n4)
		k := expOneAsm(&s.V[a], &s.IEx[a], &in.Ex[a:b][0], &s.Ref[a:b][0], b-a, &c, &buf[0], int32(a))
		for _, i := range buf[:k] {
			s.Ref[i], s.V[i] = m.refSteps, m.vReset
		}
		spiked = append(spiked, buf[:k]...)
	}
	return m.stepOneGo(s, lo+n4, hi, in, spiked)
}
