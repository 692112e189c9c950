package model

// Grid places a population's neurons on a periodic two-dimensional grid of
// unit spacing (a torus, as in Bamford et al. 2010): neuron i of the
// population sits at column i mod Width and row i div Width; the height is
// the population size divided by Width.
type Grid struct {
	// Width is the number of columns; it divides the population's size.
	Width int64 `yaml:"width" json:"width"`
}

// Position returns the column and row of the population's i-th neuron.
func (g *Grid) Position(i int64) (x, y int64) { return i % g.Width, i / g.Width }

// Height returns the number of rows of a grid holding size neurons.
func (g *Grid) Height(size int64) int64 { return size / g.Width }

// TorusDistance2 returns the squared distance between grid points (x1, y1)
// and (x2, y2) on a torus of w columns and h rows: along each axis the
// shorter way round.
func TorusDistance2(x1, y1, x2, y2, w, h int64) float64 {
	dx, dy := abs64(x1-x2), abs64(y1-y2)
	dx, dy = min(dx, w-dx), min(dy, h-dy)
	return float64(dx*dx + dy*dy)
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}
