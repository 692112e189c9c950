package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/snnkit/snnkit/pkg/results"
)

// ranResults runs the e2e benchmark into a fresh results directory.
func ranResults(t *testing.T) (string, *Plan) {
	t.Helper()
	bins := toolBins(t)
	p := localPlan(t, e2eYAML)
	dir := t.TempDir()
	if err := p.Prepare(dir, false); err != nil {
		t.Fatal(err)
	}
	if _, err := RunLocal(context.Background(), p, dir, LocalOptions{Bins: bins}); err != nil {
		t.Fatal(err)
	}
	return dir, p
}

func TestCollect(t *testing.T) {
	base, p := ranResults(t)
	result := func(i int) string { return p.Runs[i].Result() }
	rm := func(t *testing.T, dir string, paths ...string) {
		for _, x := range paths {
			if err := os.RemoveAll(filepath.Join(dir, x)); err != nil {
				t.Fatal(err)
			}
		}
	}
	tests := []struct {
		name    string
		mutate  func(t *testing.T, dir string)
		want    CollectSummary
		wantErr []string
		// records the store holds afterwards (-1: no check)
		records int
	}{
		{"store complete", func(*testing.T, string) {}, CollectSummary{Present: 4}, nil, 6},
		{"store lost", func(t *testing.T, dir string) { rm(t, dir, results.StoreDir) }, CollectSummary{Added: 4}, nil, 6},
		{"one store file lost", func(t *testing.T, dir string) {
			m, _ := filepath.Glob(filepath.Join(dir, results.StoreDir, "*"+results.StoreExt))
			rm(t, dir, strings.TrimPrefix(m[0], dir))
		}, CollectSummary{Added: 1, Present: 3}, nil, 6},
		{"one result missing", func(t *testing.T, dir string) { rm(t, dir, results.StoreDir, result(0)) },
			CollectSummary{Added: 3, Missing: 1}, nil, 5},
		{"unreadable result", func(t *testing.T, dir string) {
			rm(t, dir, results.StoreDir)
			os.WriteFile(filepath.Join(dir, result(1)), []byte("{"), 0o644)
		}, CollectSummary{Added: 3}, []string{"collect " + p.Runs[1].Name}, 5},
		{"result of another model", func(t *testing.T, dir string) {
			q, err := ReadPlan(dir)
			if err != nil {
				t.Fatal(err)
			}
			for i := range q.Networks {
				if q.Networks[i].Key == p.Runs[3].Net {
					q.Networks[i].Digest = "sha256:0000"
				}
			}
			if err := q.Write(dir); err != nil {
				t.Fatal(err)
			}
		}, CollectSummary{Present: 3}, []string{"collect " + p.Runs[3].Name, "model digest", "sha256:0000", "holds another run"}, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "results")
			if err := os.CopyFS(dir, os.DirFS(base)); err != nil {
				t.Fatal(err)
			}
			tt.mutate(t, dir)
			var log bytes.Buffer
			s, err := Collect(dir, &log)
			if s == nil || *s != tt.want {
				t.Errorf("Collect: %+v, want %+v", s, tt.want)
			}
			if tt.wantErr == nil && err != nil {
				t.Errorf("Collect: %v", err)
			}
			for _, w := range tt.wantErr {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("error %v lacks %q", err, w)
				}
			}
			if n := strings.Count(log.String(), "added "); n != tt.want.Added {
				t.Errorf("log names %d added runs, want %d:\n%s", n, tt.want.Added, log.String())
			}
			recs, rerr := results.ReadStore(dir)
			if rerr != nil || len(recs) != tt.records {
				t.Errorf("store: %d records, %v; want %d", len(recs), rerr, tt.records)
			}
			// Idempotent: a second collect adds nothing.
			again, _ := Collect(dir, nil)
			if again == nil || again.Added != 0 || again.Present != tt.want.Added+tt.want.Present {
				t.Errorf("second Collect: %+v", again)
			}
		})
	}
}

func TestCollectNotResults(t *testing.T) {
	s, err := Collect(t.TempDir(), nil)
	if err == nil || s != nil || !strings.Contains(err.Error(), "not a snn-bench results directory") {
		t.Errorf("Collect of an empty folder: %+v, %v", s, err)
	}
}

// TestStatusFromFiles: without SLURM a run is done when it has a result,
// failed when it has a failure record, pending otherwise.
func TestStatusFromFiles(t *testing.T) {
	p := localPlan(t, e2eYAML)
	dir := t.TempDir()
	if err := p.Prepare(dir, false); err != nil {
		t.Fatal(err)
	}
	write := func(rel, text string) {
		t.Helper()
		path := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(p.Runs[0].Result(), "{}")
	write(p.Runs[1].Log()+FailedMarker, "snn-run exited with status 3\n")
	// A result wins over an old failure record.
	write(p.Runs[2].Result(), "{}")
	write(p.Runs[2].Log()+FailedMarker, "old failure\n")

	st, err := Status(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	wantStates := []string{StateDone, StateFailed, StateDone, StatePending}
	if len(st) != len(p.Runs) {
		t.Fatalf("%d tasks, want %d", len(st), len(p.Runs))
	}
	for i, s := range st {
		r := p.Runs[i]
		if s.Name != r.Name || s.Kind != "run" || s.Network != r.Net || s.Log != r.Log() || s.State != wantStates[i] {
			t.Errorf("task %d: %+v, want run %s %s", i, s, r.Name, wantStates[i])
		}
	}
	if st[1].Reason != "snn-run exited with status 3" {
		t.Errorf("failed run's reason %q", st[1].Reason)
	}
	var text bytes.Buffer
	if err := WriteStatus(&text, st); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(text.String(), "\n"), "\n")
	if len(lines) != 5 || lines[4] != "4 tasks: 1 pending, 2 done, 1 failed" {
		t.Fatalf("WriteStatus:\n%s", text.String())
	}
	for i, l := range lines[:4] {
		if !strings.HasPrefix(l, wantStates[i]+" ") || !strings.Contains(l, p.Runs[i].Name) || !strings.Contains(l, "log "+p.Runs[i].Log()) {
			t.Errorf("line %d: %q", i, l)
		}
	}
	if !strings.HasSuffix(lines[1], "(snn-run exited with status 3)") {
		t.Errorf("failed line lacks its reason: %q", lines[1])
	}
	b, err := json.Marshal(st)
	if err != nil || !strings.Contains(string(b), `"state":"failed"`) {
		t.Errorf("status JSON: %s, %v", b, err)
	}
	if _, err := Status(context.Background(), t.TempDir()); err == nil {
		t.Error("Status of an empty folder succeeded")
	}
}
