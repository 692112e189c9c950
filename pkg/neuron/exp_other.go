//go:build !amd64

package neuron

const haveExpAsm = false

func expOneAsm(v, iex, ex *float64, ref *int32, n int, c *[5]float64, out *int32, first int32) int {
	panic("neuron: expOneAsm without amd64")
}
