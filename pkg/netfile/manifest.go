package netfile

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/snnkit/snnkit/pkg/model"
	"github.com/snnkit/snnkit/pkg/outdir"
)

// ManifestName is the manifest's file name inside a network directory.
const ManifestName = "manifest.json"

// FormatName is the manifest's format field.
const FormatName = "snnkit-network"

// Manifest describes a built network: the model, the seed, the partition
// and every file with its size and checksum. It holds no timings, so the
// same model, seed and rank count always give the same directory, byte for byte.
type Manifest struct {
	Format        string `json:"format"`
	FormatVersion int    `json:"format_version"`
	Creator       string `json:"creator"`
	ModelDigest   string `json:"model_digest"`
	Seed          uint64 `json:"seed"`
	Ranks         int    `json:"ranks"`
	// Partition is the neuron distribution: round_robin (gid g on rank g mod ranks).
	Partition     string            `json:"partition"`
	Dt            float64           `json:"dt"`
	Neurons       int64             `json:"neurons"`
	Synapses      int64             `json:"synapses"`
	MinDelaySteps int64             `json:"min_delay_steps"`
	MaxDelaySteps int64             `json:"max_delay_steps"`
	Populations   []PopulationEntry `json:"populations"`
	Projections   []ProjectionEntry `json:"projections"`
	RankEntries   []RankEntry       `json:"rank_files"`
	Model         *model.Model      `json:"model"`
}

// PopulationEntry locates a population in gid space.
type PopulationEntry struct {
	Name     string `json:"name"`
	Neuron   string `json:"neuron"`
	FirstGID int64  `json:"first_gid"`
	Size     int64  `json:"size"`
}

// ProjectionEntry summarises a projection.
type ProjectionEntry struct {
	Name         string `json:"name"`
	Source       string `json:"source"`
	Target       string `json:"target"`
	Rule         string `json:"rule"`
	SynapseModel string `json:"synapse_model"`
	Synapses     int64  `json:"synapses"`
}

// RankEntry describes one rank's files.
type RankEntry struct {
	Rank     int   `json:"rank"`
	Neurons  int64 `json:"neurons"`
	Synapses int64 `json:"synapses"`
	// ProjectionSynapses counts the rank's synapses per projection.
	ProjectionSynapses []int64 `json:"projection_synapses"`
	MinDelaySteps      int64   `json:"min_delay_steps"`
	MaxDelaySteps      int64   `json:"max_delay_steps"`
	// SendPairs counts (local neuron, other rank) pairs in the send map.
	SendPairs int64       `json:"send_pairs"`
	Files     []FileEntry `json:"files"`
}

// FileEntry is one file with its table, row count, size and SHA-256.
type FileEntry struct {
	Name   string `json:"name"`
	Table  string `json:"table"`
	Rows   int64  `json:"rows"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// File returns rank r's entry for table.
func (m *Manifest) File(r int, table string) (FileEntry, error) {
	if r < 0 || r >= len(m.RankEntries) {
		return FileEntry{}, fmt.Errorf("rank %d: the network has %d ranks", r, len(m.RankEntries))
	}
	for _, f := range m.RankEntries[r].Files {
		if f.Table == table {
			return f, nil
		}
	}
	return FileEntry{}, fmt.Errorf("rank %d has no %s file in the manifest", r, table)
}

// Header returns the schema header rank r's files must carry.
func (m *Manifest) Header(r int) Header {
	return Header{ModelDigest: m.ModelDigest, Seed: m.Seed, Rank: r, Ranks: m.Ranks}
}

// WriteManifest writes m as dir/manifest.json through a temporary file.
func WriteManifest(dir string, m *Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("encode manifest: %w", err)
	}
	return outdir.WriteBytes(filepath.Join(dir, ManifestName), append(b, '\n'))
}

// ReadManifest reads and checks dir/manifest.json: format, version, the
// model digest against the embedded model, and the rank entries.
func ReadManifest(dir string) (*Manifest, error) {
	path := filepath.Join(dir, ManifestName)
	b, err := os.ReadFile(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("%s is not a network directory: no %s (build one with snn-build)", dir, ManifestName)
		}
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("read manifest %s: %w", path, err)
	}
	if m.Format != FormatName {
		return nil, fmt.Errorf("read manifest %s: format %q, want %q", path, m.Format, FormatName)
	}
	if m.FormatVersion != FormatVersion {
		return nil, fmt.Errorf("read manifest %s: format_version %d, this snnkit reads version %d", path, m.FormatVersion, FormatVersion)
	}
	if m.Model == nil {
		return nil, fmt.Errorf("read manifest %s: no model", path)
	}
	if err := model.Resolve(m.Model); err != nil {
		return nil, fmt.Errorf("read manifest %s: model: %w", path, err)
	}
	if d, err := model.Digest(m.Model); err != nil || d != m.ModelDigest {
		return nil, fmt.Errorf("read manifest %s: model_digest %s does not match the model it holds (%s): the manifest was edited", path, m.ModelDigest, d)
	}
	if m.Ranks < 1 || len(m.RankEntries) != m.Ranks {
		return nil, fmt.Errorf("read manifest %s: %d rank entries for %d ranks", path, len(m.RankEntries), m.Ranks)
	}
	for r, e := range m.RankEntries {
		if e.Rank != r {
			return nil, fmt.Errorf("read manifest %s: rank entry %d says rank %d", path, r, e.Rank)
		}
	}
	return &m, nil
}

// Verify checks that every file in the manifest exists with its recorded
// size and, when checksums is set, its SHA-256.
func (m *Manifest) Verify(dir string, checksums bool) error {
	for _, re := range m.RankEntries {
		for _, fe := range re.Files {
			if err := fe.verify(dir, checksums); err != nil {
				return err
			}
		}
	}
	return nil
}

func (fe FileEntry) verify(dir string, checksum bool) error {
	path := filepath.Join(dir, fe.Name)
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("verify %s: %w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("verify %s: %w", path, err)
	}
	if st.Size() != fe.Bytes {
		return fmt.Errorf("verify %s: %d bytes, the manifest says %d: the file is truncated or from another build", path, st.Size(), fe.Bytes)
	}
	if !checksum {
		return nil
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("verify %s: %w", path, err)
	}
	if sum := hex.EncodeToString(h.Sum(nil)); sum != fe.SHA256 {
		return fmt.Errorf("verify %s: SHA-256 %s, the manifest says %s: the file is corrupt or from another build", path, sum, fe.SHA256)
	}
	return nil
}
