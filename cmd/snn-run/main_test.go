package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/snnkit/snnkit/internal/cmdtest"
)

var bin, build string

func TestMain(m *testing.M) {
	cmdtest.Main(m, func(dir string) { bin, build = filepath.Join(dir, "snn-run"), filepath.Join(dir, "snn-build") }, "", "snn-run", "snn-build")
}

func exe(t *testing.T, name string, args ...string) (string, string, int) {
	t.Helper()
	return cmdtest.Run(t, name, args...)
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	net := filepath.Join(dir, "net")
	if _, errs, code := exe(t, build, "--model", "brunel", "--set", "N=1000", "--ranks", "2", "-o", net); code != 0 {
		t.Fatal(errs)
	}
	out, errs, code := exe(t, bin, net, "--t-presim", "10", "--t-sim", "100", "--threads", "2", "-o", filepath.Join(dir, "run"), "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var res struct {
		Ranks       int     `json:"rank_count"`
		Spikes      int64   `json:"spikes"`
		SpikeDigest string  `json:"spike_digest"`
		RTF         float64 `json:"real_time_factor"`
		Rates       []struct {
			Rate float64 `json:"rate_hz"`
		} `json:"rates"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.Ranks != 2 || res.Spikes == 0 || !strings.HasPrefix(res.SpikeDigest, "sha256:") || res.RTF <= 0 || len(res.Rates) != 2 {
		t.Fatalf("result %+v", res)
	}
	for _, f := range []string{"result.json", "spikes-rank-00000.arrow", "spikes-rank-00001.arrow"} {
		if _, err := os.Stat(filepath.Join(dir, "run", f)); err != nil {
			t.Fatal(err)
		}
	}
	text, _, code := exe(t, bin, net, "--t-presim", "10", "--t-sim", "100", "--comm", "p2p", "-o", filepath.Join(dir, "run2"))
	if code != 0 || !strings.Contains(text, res.SpikeDigest) || !strings.Contains(text, "real-time factor") {
		t.Fatalf("p2p run: exit %d, output\n%s\nwant digest %s", code, text, res.SpikeDigest)
	}
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	net := filepath.Join(dir, "net")
	if _, errs, code := exe(t, build, "--model", "brunel", "--set", "N=200", "--ranks", "2", "-o", net); code != 0 {
		t.Fatal(errs)
	}
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-o", filepath.Join(dir, "x")}, 2, "one network directory"},
		{[]string{net}, 2, "no run directory"},
		{[]string{net, "--ranks", "3", "-o", filepath.Join(dir, "x")}, 1, "has 2 partitions but the job has 3 ranks"},
		{[]string{net, "--comm", "smoke", "-o", filepath.Join(dir, "x")}, 1, "unknown exchange mode"},
		{[]string{net, "--backend", "cuda", "-o", filepath.Join(dir, "x")}, 2, "without CUDA support"},
		{[]string{dir, "-o", filepath.Join(dir, "x")}, 1, "not a network directory"},
		{[]string{net, "--threads", "0", "-o", filepath.Join(dir, "x")}, 2, "--threads"},
	}
	for _, tc := range cases {
		_, errs, code := exe(t, bin, tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("snn-run %s: exit %d, stderr %q; want exit %d and %q", strings.Join(tc.args, " "), code, errs, tc.code, tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x")); !os.IsNotExist(err) {
		t.Fatal("a failed run left its output directory")
	}
}
