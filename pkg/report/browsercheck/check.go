package browsercheck

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/snnkit/snnkit/pkg/outdir"
)

// Check opens the HTML file at path in a fresh headless browser and reports
// what it saw. The returned error is for failures of the check itself (no
// browser, the file is missing, the browser crashed); problems of the page
// are in Result.Problems, and Result.Err turns them into an error.
func Check(ctx context.Context, path string, o Options) (Result, error) {
	var res Result
	abs, err := filepath.Abs(path)
	if err != nil {
		return res, fmt.Errorf("browser check %s: %w", path, err)
	}
	if _, err := os.Stat(abs); err != nil {
		return res, fmt.Errorf("browser check: %w", err)
	}
	res.URL = (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
	switch o.ColorScheme {
	case "", "light", "dark":
	default:
		return res, fmt.Errorf("browser check: color scheme %q: accepted values are light and dark", o.ColorScheme)
	}
	if o.Browser == "" {
		if o.Browser, err = FindBrowser(); err != nil {
			return res, fmt.Errorf("browser check: %w", err)
		}
	}
	if o.Width <= 0 {
		o.Width = 1280
	}
	if o.Height <= 0 {
		o.Height = 900
	}
	if o.Timeout <= 0 {
		o.Timeout = 90 * time.Second
	}
	if o.Settle <= 0 {
		o.Settle = 300 * time.Millisecond
	}

	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(o.Browser),
		chromedp.NoSandbox, // containers and CI run as root, where the sandbox cannot start
		chromedp.DisableGPU,
		chromedp.WindowSize(o.Width, o.Height),
		// Keep the check offline: every host name fails to resolve and any
		// request to an address goes to a closed port. A self-contained page
		// makes no request at all; each one is reported as a problem.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"),
		chromedp.Flag("proxy-server", "127.0.0.1:9"),
		chromedp.Flag("allow-file-access-from-files", false),
	)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	// The first Run starts the browser and opens the tab.
	if err := chromedp.Do(bctx); err != nil {
		return res, fmt.Errorf("browser check: start %s: %w", o.Browser, err)
	}

	var mu sync.Mutex
	record := func(console, problem string) {
		mu.Lock()
		defer mu.Unlock()
		if console != "" {
			res.Console = append(res.Console, console)
		}
		if problem != "" {
			res.Problems = append(res.Problems, problem)
		}
	}
	if err := chromedp.Listen(bctx, func(ev any) { onEvent(ev, res.URL, record) }); err != nil {
		return res, fmt.Errorf("browser check: listen: %w", err)
	}

	steps := []chromedp.Action[chromedp.Void]{
		chromedp.EmulateViewport(int64(o.Width), int64(o.Height)),
	}
	if o.ColorScheme != "" {
		scheme := o.ColorScheme
		steps = append(steps, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
			})
			return err
		}))
	}
	steps = append(steps, chromedp.Navigate(res.URL), chromedp.Sleep(o.Settle))
	if err := chromedp.Do(bctx, steps...); err != nil {
		return res, fmt.Errorf("browser check: open %s: %w", res.URL, err)
	}

	lay, err := chromedp.Run(bctx, chromedp.Evaluate[layout](layoutJS))
	if err != nil {
		return res, fmt.Errorf("browser check: measure %s: %w", res.URL, err)
	}
	res.Title, res.Figures, res.BlankFigures, res.Tables = lay.Title, lay.Figures, lay.BlankFigures, lay.Tables
	res.PageWidth, res.PageHeight, res.ViewportWidth = lay.ScrollWidth, lay.ScrollHeight, lay.ClientWidth
	if lay.BlankFigures > 0 {
		record("", fmt.Sprintf("layout: %d of %d figures rendered smaller than 50×50 px", lay.BlankFigures, lay.Figures))
	}
	if lay.ScrollWidth > lay.ClientWidth+1 {
		record("", fmt.Sprintf("layout: the page is %d px wide in a %d px viewport (horizontal scrolling)", lay.ScrollWidth, lay.ClientWidth))
	}
	for _, e := range lay.Overflowing {
		record("", "layout: element overflows the viewport: "+e)
	}

	if o.Screenshot != "" {
		png, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
		if err != nil {
			return res, fmt.Errorf("browser check: screenshot of %s: %w", res.URL, err)
		}
		if err := outdir.WriteBytes(o.Screenshot, png); err != nil {
			return res, fmt.Errorf("browser check: %w", err)
		}
		res.Screenshot = o.Screenshot
	}
	// Stop the browser before reading the results the listener writes.
	bcancel()
	mu.Lock()
	defer mu.Unlock()
	out := res
	out.Console = append([]string(nil), res.Console...)
	out.Problems = append([]string(nil), res.Problems...)
	return out, nil
}

// layout is what layoutJS measures.
type layout struct {
	Title        string   `json:"title"`
	Figures      int      `json:"figures"`
	BlankFigures int      `json:"blankFigures"`
	Tables       int      `json:"tables"`
	ScrollWidth  int      `json:"scrollWidth"`
	ScrollHeight int      `json:"scrollHeight"`
	ClientWidth  int      `json:"clientWidth"`
	Overflowing  []string `json:"overflowing"`
}

// layoutJS measures the rendered page. Elements wider than the viewport are
// faults, except inside a horizontally scrolling container (wide tables).
const layoutJS = `(() => {
  const de = document.documentElement;
  const svgs = [...document.querySelectorAll("svg")];
  const blank = svgs.filter(s => { const r = s.getBoundingClientRect(); return r.width < 50 || r.height < 50; });
  const inScroller = e => { for (let p = e.parentElement; p; p = p.parentElement) { const o = getComputedStyle(p).overflowX; if (o === "auto" || o === "scroll") return true; } return false; };
  const over = [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > de.clientWidth + 1 && !inScroller(e))
    .slice(0, 10)
    .map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && typeof e.className === "string" ? "." + e.className : ""));
  return {
    title: document.title, figures: svgs.length, blankFigures: blank.length,
    tables: document.querySelectorAll("table").length,
    scrollWidth: de.scrollWidth, scrollHeight: de.scrollHeight, clientWidth: de.clientWidth,
    overflowing: over,
  };
})()`

// onEvent turns one DevTools event into console lines and problems.
func onEvent(ev any, pageURL string, record func(console, problem string)) {
	switch e := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		text := argsText(e.Args)
		line := string(e.Type) + ": " + text
		switch e.Type {
		case runtime.ConsoleAPICalledTypeError, runtime.ConsoleAPICalledTypeAssert:
			record(line, "console."+string(e.Type)+": "+text+where(e.StackTrace))
		default:
			record(line, "")
		}
	case *runtime.EventExceptionThrown:
		d := e.ExceptionDetails
		text := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			text += " " + d.Exception.Description
		}
		loc := ""
		if d.URL != "" && !strings.Contains(text, d.URL) {
			loc = fmt.Sprintf(" (at %s:%d:%d)", d.URL, d.LineNumber+1, d.ColumnNumber+1)
		}
		record("exception: "+text, "uncaught exception: "+text+loc)
	case *log.EventEntryAdded:
		en := e.Entry
		line := fmt.Sprintf("%s [%s]: %s", en.Level, en.Source, en.Text)
		if en.URL != "" {
			line += " (" + en.URL + ")"
		}
		if en.Level == log.EntryLevelError {
			record(line, "browser log: "+line)
		} else {
			record(line, "")
		}
	case *network.EventRequestWillBeSent:
		if e.Request == nil {
			return
		}
		u := e.Request.URL
		if u == pageURL || strings.HasPrefix(u, "data:") || strings.HasPrefix(u, "about:") {
			return
		}
		record("", "network: the page requested "+u+" (a self-contained page loads nothing)")
	case *network.EventLoadingFailed:
		if !e.Canceled {
			record("", fmt.Sprintf("network: a %s failed to load: %s", e.Type, e.ErrorText))
		}
	}
}

// argsText formats console arguments as the console shows them, roughly.
func argsText(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		switch {
		case a == nil:
		case len(a.Value) > 0:
			v := string(a.Value)
			if s, err := strconv.Unquote(v); err == nil {
				v = s
			}
			parts = append(parts, v)
		case a.UnserializableValue != "":
			parts = append(parts, string(a.UnserializableValue))
		case a.Description != "":
			parts = append(parts, a.Description)
		default:
			parts = append(parts, string(a.Type))
		}
	}
	return strings.Join(parts, " ")
}

// where formats the top frame of a stack trace.
func where(st *runtime.StackTrace) string {
	if st == nil || len(st.CallFrames) == 0 {
		return ""
	}
	f := st.CallFrames[0]
	return fmt.Sprintf(" (at %s:%d:%d)", f.URL, f.LineNumber+1, f.ColumnNumber+1)
}
