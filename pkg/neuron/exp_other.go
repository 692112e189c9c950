//go:build !amd64

package neuron

// haveExpAsm: there is no vector loop here.
const haveExpAsm = false

// stepOne is Step for one channel: every input is in in.Ex and IEx.
func (m *Exp) stepOne(s *State, lo, hi int, in Input, spiked []int32) []int32 {
	return m.stepOneGo(s, lo, hi, in, spiked)
}
