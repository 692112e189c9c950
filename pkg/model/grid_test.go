package model

import (
	"strings"
	"testing"
)

func TestGrid(t *testing.T) {
	g := &Grid{Width: 16}
	for _, tc := range []struct {
		i, x, y int64
	}{{0, 0, 0}, {15, 15, 0}, {16, 0, 1}, {255, 15, 15}} {
		if x, y := g.Position(tc.i); x != tc.x || y != tc.y {
			t.Errorf("Position(%d) = %d, %d, want %d, %d", tc.i, x, y, tc.x, tc.y)
		}
	}
	if h := g.Height(256); h != 16 {
		t.Errorf("Height(256) = %d", h)
	}
	for _, tc := range []struct {
		x1, y1, x2, y2 int64
		want           float64
	}{{0, 0, 0, 0, 0}, {0, 0, 15, 0, 1}, {0, 0, 8, 8, 128}, {1, 2, 14, 15, 3*3 + 3*3}, {3, 0, 5, 0, 4}} {
		if d := TorusDistance2(tc.x1, tc.y1, tc.x2, tc.y2, 16, 16); d != tc.want {
			t.Errorf("TorusDistance2(%d,%d,%d,%d) = %g, want %g", tc.x1, tc.y1, tc.x2, tc.y2, d, tc.want)
		}
	}
}

func TestGridValidation(t *testing.T) {
	src := `name: g
dt: 0.1
populations:
  - {name: A, size: 256, neuron: iaf_psc_exp, grid: {width: WIDTH}}
projections: []
`
	for _, tc := range []struct {
		width string
		err   string
	}{{"16", ""}, {"10", "divide the size 256"}, {"0", "must be > 0"}} {
		_, err := Parse("g.yaml", []byte(strings.Replace(src, "WIDTH", tc.width, 1)), nil)
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("width %s: %v", tc.width, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("width %s: error %v, want %q", tc.width, err, tc.err)
		}
	}
}
