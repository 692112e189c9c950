package netfile

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// synthetic returns a partition with n neurons and rows of varying length,
// using the given widths.
func synthetic(rank, ranks, n, rows, targetWidth, delayWidth int) *Partition {
	p := &Partition{Rank: rank, Ranks: ranks, StateNames: []string{"V_m"}}
	p.GID = make([]uint32, n)
	p.Population = make([]uint16, n)
	p.State = [][]float64{make([]float64, n)}
	p.SendMask = make([]byte, n*p.MaskWidth())
	for i := range p.GID {
		p.GID[i] = uint32(i*ranks + rank)
		p.Population[i] = uint16(i % 3)
		p.State[0][i] = -65 + float64(i)/7
		p.SendMask[i*p.MaskWidth()] = byte(i)
	}
	var total int64
	p.RowStart = []int64{0}
	for r := 0; r < rows; r++ {
		total += int64(r % 7) // row lengths vary
		if r%7 == 0 {
			total++
		}
		p.RowProjection = append(p.RowProjection, uint16(r/10))
		p.RowSource = append(p.RowSource, uint32(r*3))
		p.RowStart = append(p.RowStart, total)
	}
	p.Alloc(total, targetWidth, delayWidth)
	for k := int64(0); k < total; k++ {
		t := uint32(k) % uint32(max(n, 1))
		switch targetWidth {
		case 2:
			p.Target16()[k] = uint16(t)
		default:
			p.Target32()[k] = t
		}
		p.Weight[k] = float32(k) * 0.5
		if delayWidth == 1 {
			p.Delay[k] = byte(1 + k%200)
		} else {
			p.Delay16()[k] = uint16(1 + k%1000)
		}
	}
	return p
}

func TestRoundTrip(t *testing.T) {
	cases := []struct {
		name                    string
		n, rows, twidth, dwidth int
		compression             string
		batch                   int64
	}{
		{"narrow", 50, 300, 2, 1, "", 0},
		{"wide", 70, 300, 4, 2, "", 0},
		{"small batches", 50, 300, 2, 1, "", 37},
		{"zstd", 50, 300, 2, 2, "zstd", 100},
		{"lz4", 50, 300, 4, 1, "lz4", 0},
		{"no synapses", 5, 0, 2, 1, "", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			p := synthetic(1, 3, tc.n, tc.rows, tc.twidth, tc.dwidth)
			h := Header{ModelDigest: "sha256:test", Seed: 42}
			files, err := WriteRank(dir, p, h, WriteOptions{Compression: tc.compression, BatchSynapses: tc.batch})
			if err != nil {
				t.Fatal(err)
			}
			files[0].Table, files[1].Table = TableNeurons, TableSynapses
			m := &Manifest{ModelDigest: h.ModelDigest, Seed: h.Seed, Ranks: 3, RankEntries: make([]RankEntry, 3)}
			m.RankEntries[1] = RankEntry{Rank: 1, Synapses: p.Synapses(), Files: files}
			got, err := ReadRank(dir, m, 1)
			if err != nil {
				t.Fatal(err)
			}
			if tc.rows == 0 {
				got.Target, got.Delay, got.Weight = p.Target, p.Delay, p.Weight
				got.TargetWidth, got.DelayWidth = p.TargetWidth, p.DelayWidth
				got.RowProjection, got.RowSource = p.RowProjection, p.RowSource // empty either way
			}
			if !reflect.DeepEqual(got, p) {
				t.Fatalf("read back a different partition:\n got %+v\nwant %+v", got.RowStart[:min(5, len(got.RowStart))], p.RowStart[:min(5, len(p.RowStart))])
			}
			if err := m.Verify(dir, true); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestWidths(t *testing.T) {
	if TargetWidthFor(65536) != 2 || TargetWidthFor(65537) != 4 || DelayWidthFor(255) != 1 || DelayWidthFor(256) != 2 {
		t.Fatal("width thresholds are wrong")
	}
	if MaskWidth(1) != 1 || MaskWidth(8) != 1 || MaskWidth(9) != 2 {
		t.Fatal("mask widths are wrong")
	}
}

func TestNotANetwork(t *testing.T) {
	dir := t.TempDir()
	if _, err := ReadManifest(dir); err == nil || !strings.Contains(err.Error(), "not a network directory") {
		t.Fatalf("empty directory: %v", err)
	}
	os.WriteFile(filepath.Join(dir, ManifestName), []byte(`{"format":"other"}`), 0o644)
	if _, err := ReadManifest(dir); err == nil || !strings.Contains(err.Error(), `format "other"`) {
		t.Fatalf("foreign manifest: %v", err)
	}
	os.WriteFile(filepath.Join(dir, ManifestName), []byte(`{"format":"snnkit-network","format_version":99}`), 0o644)
	if _, err := ReadManifest(dir); err == nil || !strings.Contains(err.Error(), "format_version 99") {
		t.Fatalf("future manifest: %v", err)
	}
}

func TestSpecialWeightsSurvive(t *testing.T) {
	// Weights are stored as raw float32 bits: nothing is normalised on the way.
	p := synthetic(0, 1, 4, 3, 2, 1)
	p.Weight[0] = float32(math.Inf(-1))
	dir := t.TempDir()
	files, err := WriteRank(dir, p, Header{}, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	files[0].Table, files[1].Table = TableNeurons, TableSynapses
	m := &Manifest{Ranks: 1, RankEntries: []RankEntry{{Synapses: p.Synapses(), Files: files}}}
	got, err := ReadRank(dir, m, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsInf(float64(got.Weight[0]), -1) {
		t.Fatalf("weight 0 = %g", got.Weight[0])
	}
}
