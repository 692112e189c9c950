// Package browsercheck opens an HTML file in headless Chromium through the
// DevTools protocol (github.com/chromedp/chromedp), collects console
// messages, uncaught exceptions, browser-log errors and network requests,
// measures the layout, and saves a full-page screenshot. It is how the
// report's HTML output is tested in a real browser.
package browsercheck

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// Options configure a check. The zero value is usable.
type Options struct {
	// Browser is the Chromium or Chrome executable; empty finds one with FindBrowser.
	Browser string
	// Screenshot is where a full-page PNG screenshot is written; empty takes none.
	Screenshot string
	// Width and Height are the viewport size in CSS pixels; zero means 1280×900.
	Width, Height int
	// ColorScheme emulates prefers-color-scheme: "" (the browser's default),
	// "light" or "dark".
	ColorScheme string
	// Timeout bounds the whole check; zero means 90 s.
	Timeout time.Duration
	// Settle is how long to wait after the load event for late messages
	// (timers, promise rejections); zero means 300 ms.
	Settle time.Duration
}

// Result is what the browser saw.
type Result struct {
	// URL is the file:// URL that was opened.
	URL string
	// Title is the document's title.
	Title string
	// Console holds every console message and browser-log entry, as "type: text".
	Console []string
	// Problems holds what makes the page fail the check: console errors and
	// failed assertions, uncaught exceptions, browser-log errors, requests
	// that leave the file (the page must be self-contained) and layout faults.
	Problems []string
	// Figures is the number of <svg> elements; BlankFigures of them rendered
	// smaller than 50×50 CSS pixels.
	Figures, BlankFigures int
	// Tables is the number of <table> elements.
	Tables int
	// PageWidth and PageHeight are the document's scroll size in CSS pixels.
	PageWidth, PageHeight int
	// ViewportWidth is the layout viewport's width in CSS pixels.
	ViewportWidth int
	// Screenshot is the path of the written screenshot, if one was taken.
	Screenshot string
}

// Err returns an error listing the problems, or nil when there are none.
func (r Result) Err() error {
	if len(r.Problems) == 0 {
		return nil
	}
	return fmt.Errorf("%s: %d problem(s) in the browser:\n  %s", r.URL, len(r.Problems), strings.Join(r.Problems, "\n  "))
}

// ErrNoBrowser is returned by FindBrowser when no browser is installed.
var ErrNoBrowser = errors.New("no Chromium or Chrome found (tried $SNNKIT_CHROMIUM, chromium, chromium-browser, google-chrome, google-chrome-stable, headless_shell); on Debian: apt-get install -y chromium")

// browserNames are the executables FindBrowser looks for, in order.
var browserNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless_shell"}

// FindBrowser returns the browser named by $SNNKIT_CHROMIUM, or the first of
// chromium, chromium-browser, google-chrome, google-chrome-stable and
// headless_shell on $PATH.
func FindBrowser() (string, error) {
	if p := os.Getenv("SNNKIT_CHROMIUM"); p != "" {
		path, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("SNNKIT_CHROMIUM=%q: %w", p, err)
		}
		return path, nil
	}
	for _, n := range browserNames {
		if p, err := exec.LookPath(n); err == nil {
			return p, nil
		}
	}
	return "", ErrNoBrowser
}
