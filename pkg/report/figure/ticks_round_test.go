package figure

import "testing"

func TestFormatTickRounds(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{{3 * 0.1, "0.3"}, {0.07 * 100, "7"}, {2e-5, "2e-05"}, {1234.5, "1234.5"}, {3e7, "3e+07"}} {
		if got := formatTick(tc.v); got != tc.want {
			t.Errorf("formatTick(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}
