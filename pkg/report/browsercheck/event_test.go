package browsercheck

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
)

func TestOnEvent(t *testing.T) {
	const page = "file:///tmp/report.html"
	str := func(s string) *runtime.RemoteObject {
		return &runtime.RemoteObject{Type: runtime.RemoteObjectTypeString, Value: []byte(`"` + s + `"`)}
	}
	for _, tc := range []struct {
		name             string
		ev               any
		console, problem string // substrings; "" means none expected
	}{
		{"console.log", &runtime.EventConsoleAPICalled{Type: runtime.ConsoleAPICalledTypeLog, Args: []*runtime.RemoteObject{str("hello"), {Type: runtime.RemoteObjectTypeNumber, Value: []byte("42")}}}, "log: hello 42", ""},
		{"console.warn", &runtime.EventConsoleAPICalled{Type: runtime.ConsoleAPICalledTypeWarning, Args: []*runtime.RemoteObject{str("careful")}}, "warning: careful", ""},
		{"console.error", &runtime.EventConsoleAPICalled{Type: runtime.ConsoleAPICalledTypeError, Args: []*runtime.RemoteObject{str("bad")},
			StackTrace: &runtime.StackTrace{CallFrames: []*runtime.CallFrame{{URL: page, LineNumber: 9, ColumnNumber: 2}}}}, "error: bad", "console.error: bad (at " + page + ":10:3)"},
		{"console.assert", &runtime.EventConsoleAPICalled{Type: runtime.ConsoleAPICalledTypeAssert, Args: []*runtime.RemoteObject{{Type: runtime.RemoteObjectTypeObject, Description: "Error: x"}}}, "assert: Error: x", "console.assert"},
		{"exception", &runtime.EventExceptionThrown{ExceptionDetails: &runtime.ExceptionDetails{Text: "Uncaught", URL: page, LineNumber: 0, ColumnNumber: 7,
			Exception: &runtime.RemoteObject{Description: "Error: boom"}}}, "exception: Uncaught Error: boom", "uncaught exception: Uncaught Error: boom (at " + page + ":1:8)"},
		{"log error", &log.EventEntryAdded{Entry: &log.Entry{Level: log.EntryLevelError, Source: "network", Text: "Failed to load resource", URL: "file:///x.png"}}, "Failed to load resource (file:///x.png)", "browser log: error [network]"},
		{"log info", &log.EventEntryAdded{Entry: &log.Entry{Level: log.EntryLevelInfo, Source: "other", Text: "fine"}}, "info [other]: fine", ""},
		{"request of the page", &network.EventRequestWillBeSent{Request: &network.Request{URL: page}}, "", ""},
		{"data request", &network.EventRequestWillBeSent{Request: &network.Request{URL: "data:image/png;base64,AA"}}, "", ""},
		{"external request", &network.EventRequestWillBeSent{Request: &network.Request{URL: "https://cdn.example.com/a.js"}}, "", "requested https://cdn.example.com/a.js"},
		{"loading failed", &network.EventLoadingFailed{Type: network.ResourceTypeImage, ErrorText: "net::ERR_FILE_NOT_FOUND"}, "", "Image failed to load: net::ERR_FILE_NOT_FOUND"},
		{"loading canceled", &network.EventLoadingFailed{Canceled: true}, "", ""},
		{"unrelated event", &network.EventDataReceived{}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var console, problems []string
			onEvent(tc.ev, page, func(c, p string) {
				if c != "" {
					console = append(console, c)
				}
				if p != "" {
					problems = append(problems, p)
				}
			})
			check := func(what string, got []string, want string) {
				if want == "" {
					if len(got) > 0 {
						t.Errorf("%s: got %q, want none", what, got)
					}
					return
				}
				if len(got) != 1 || !strings.Contains(got[0], want) {
					t.Errorf("%s: got %q, want one containing %q", what, got, want)
				}
			}
			check("console", console, tc.console)
			check("problem", problems, tc.problem)
		})
	}
}

func TestResultErr(t *testing.T) {
	if err := (Result{URL: "file:///a.html"}).Err(); err != nil {
		t.Errorf("no problems: %v", err)
	}
	err := Result{URL: "file:///a.html", Problems: []string{"one", "two"}}.Err()
	if err == nil || !strings.Contains(err.Error(), "2 problem(s)") || !strings.Contains(err.Error(), "two") {
		t.Errorf("Err() = %v", err)
	}
}

func TestFindBrowserEnv(t *testing.T) {
	t.Setenv("SNNKIT_CHROMIUM", filepath.Join(t.TempDir(), "no-such-browser"))
	if _, err := FindBrowser(); err == nil || !strings.Contains(err.Error(), "SNNKIT_CHROMIUM") {
		t.Errorf("FindBrowser with a missing $SNNKIT_CHROMIUM: %v", err)
	}
	t.Setenv("SNNKIT_CHROMIUM", "")
	t.Setenv("PATH", t.TempDir())
	if _, err := FindBrowser(); !errors.Is(err, ErrNoBrowser) {
		t.Errorf("FindBrowser with an empty PATH: %v, want ErrNoBrowser", err)
	}
}

func TestCheckBadInput(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "p.html")
	if err := os.WriteFile(page, []byte("<!DOCTYPE html><title>t</title>"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path string
		o          Options
		want       string
	}{
		{"missing file", filepath.Join(dir, "missing.html"), Options{Browser: "/bin/true"}, "missing.html"},
		{"bad colour scheme", page, Options{Browser: "/bin/true", ColorScheme: "sepia"}, `color scheme "sepia"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Check(context.Background(), tc.path, tc.o)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Check: %v, want an error mentioning %q", err, tc.want)
			}
		})
	}
}
