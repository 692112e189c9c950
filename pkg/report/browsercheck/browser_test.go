package browsercheck

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// needBrowser skips the test unless SNNKIT_BROWSER_TEST=1 (make
// test-browser), and returns the browser. A missing browser fails the test,
// instead of skipping it, when CI=true or SNNKIT_REQUIRE_BROWSER=1 (set by
// make test-browser), so that CI cannot pass without having run it.
func needBrowser(t *testing.T) string {
	t.Helper()
	if os.Getenv("SNNKIT_BROWSER_TEST") != "1" {
		t.Skip("real-browser test: set SNNKIT_BROWSER_TEST=1 or run make test-browser")
	}
	b, err := FindBrowser()
	if err != nil {
		if os.Getenv("CI") == "true" || os.Getenv("SNNKIT_REQUIRE_BROWSER") == "1" {
			t.Fatalf("the browser test must run here (CI=%q, SNNKIT_REQUIRE_BROWSER=%q) but cannot: %v",
				os.Getenv("CI"), os.Getenv("SNNKIT_REQUIRE_BROWSER"), err)
		}
		t.Skipf("real-browser test skipped: %v", err)
	}
	return b
}

// outDir is where screenshots go: $SNNKIT_SCREENSHOT_DIR, or bin/ at the
// repository root.
func outDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("SNNKIT_SCREENSHOT_DIR"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "bin")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}

func TestBrowserReportPage(t *testing.T) {
	browser := needBrowser(t)
	page := writeSample(t, t.TempDir())
	out := outDir(t)
	for _, tc := range []struct {
		scheme, shot string
	}{
		{"light", "report-screenshot.png"},
		{"dark", "report-screenshot-dark.png"},
	} {
		t.Run(tc.scheme, func(t *testing.T) {
			shot := filepath.Join(out, tc.shot)
			res, err := Check(context.Background(), page, Options{Browser: browser, Screenshot: shot, ColorScheme: tc.scheme})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range res.Console {
				t.Logf("console: %s", c)
			}
			if err := res.Err(); err != nil {
				t.Fatal(err)
			}
			if res.Figures != 5 || res.Tables != 2 {
				t.Errorf("rendered %d figures and %d tables, want 5 and 2", res.Figures, res.Tables)
			}
			if !strings.Contains(res.Title, "<script>") {
				t.Errorf("title %q: the hostile title should be shown as text", res.Title)
			}
			st, err := os.Stat(shot)
			if err != nil || st.Size() < 10_000 {
				t.Fatalf("screenshot %s: %v (size %d)", shot, err, sizeOf(st))
			}
			t.Logf("screenshot (%s, page %d×%d px): %s", tc.scheme, res.PageWidth, res.PageHeight, shot)
		})
	}
}

// TestBrowserBrokenPages checks that the check catches what it is for.
func TestBrowserBrokenPages(t *testing.T) {
	browser := needBrowser(t)
	dir := t.TempDir()
	for _, tc := range []struct {
		name, body, want string
	}{
		{"throw", `<script>throw new Error("deliberately broken")</script>`, "deliberately broken"},
		{"console.error", `<script>console.error("bad %s", "thing")</script>`, "console.error"},
		{"late rejection", `<script>setTimeout(() => Promise.reject(new Error("late failure")), 10)</script>`, "late failure"},
		{"external image", `<img src="https://example.com/x.png" alt="x">`, "example.com"},
		{"external stylesheet", `<link rel="stylesheet" href="http://cdn.example.org/a.css">`, "cdn.example.org"},
		{"missing local file", `<img src="missing.png" alt="x">`, "missing.png"},
		{"too wide", `<div style="width:3000px">wide</div>`, "horizontal scrolling"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".html")
			html := "<!DOCTYPE html><html><head><meta charset=utf-8><title>broken</title></head><body><p>text</p>" + tc.body + "</body></html>"
			if err := os.WriteFile(path, []byte(html), 0o644); err != nil {
				t.Fatal(err)
			}
			res, err := Check(context.Background(), path, Options{Browser: browser})
			if err != nil {
				t.Fatal(err)
			}
			err = res.Err()
			if err == nil {
				t.Fatalf("a broken page passed the check; console: %q", res.Console)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("problems do not mention %q:\n%v", tc.want, err)
			}
		})
	}
}

func sizeOf(st os.FileInfo) int64 {
	if st == nil {
		return 0
	}
	return st.Size()
}
