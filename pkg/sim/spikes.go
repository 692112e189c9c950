package sim

import (
	"fmt"
	"os"
	"strconv"
	"unsafe"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/ipc"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/snnkit/snnkit/pkg/netfile"
)

// SpikeFileName is rank's spike file in a run directory.
func SpikeFileName(rank int) string { return fmt.Sprintf("spikes-rank-%05d.arrow", rank) }

// WriteSpikes writes spikes as an Arrow IPC file with columns gid and step
// (uint32; the spike time is step·dt ms), sorted by (step, gid).
func WriteSpikes(path string, spikes []Spike, man *netfile.Manifest, rank int) error {
	md := arrow.NewMetadata(
		[]string{"snnkit.table", "snnkit.model_digest", "snnkit.seed", "snnkit.rank", "snnkit.ranks", "snnkit.dt"},
		[]string{"spikes", man.ModelDigest, strconv.FormatUint(man.Seed, 10), strconv.Itoa(rank), strconv.Itoa(man.Ranks), strconv.FormatFloat(man.Dt, 'g', -1, 64)})
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "gid", Type: arrow.PrimitiveTypes.Uint32},
		{Name: "step", Type: arrow.PrimitiveTypes.Uint32},
	}, &md)
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write spikes: %w", err)
	}
	defer f.Close()
	w, err := ipc.NewFileWriter(f, ipc.WithSchema(schema))
	if err != nil {
		return fmt.Errorf("write spikes %s: %w", path, err)
	}
	gid := make([]uint32, len(spikes))
	step := make([]uint32, len(spikes))
	for i, s := range spikes {
		gid[i], step[i] = s.GID, s.Step
	}
	col := func(v []uint32) arrow.Array {
		var b []byte
		if len(v) > 0 {
			b = unsafe.Slice((*byte)(unsafe.Pointer(&v[0])), 4*len(v))
		}
		return array.MakeFromData(array.NewData(arrow.PrimitiveTypes.Uint32, len(v), []*memory.Buffer{nil, memory.NewBufferBytes(b)}, nil, 0, 0))
	}
	rec := array.NewRecord(schema, []arrow.Array{col(gid), col(step)}, int64(len(spikes)))
	defer rec.Release()
	if err := w.Write(rec); err != nil {
		return fmt.Errorf("write spikes %s: %w", path, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("write spikes %s: %w", path, err)
	}
	return f.Close()
}
