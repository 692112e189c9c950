// Command browsercheck opens HTML files in headless Chromium and fails when
// the browser reports a console error, an uncaught exception, a network
// request (the page must be self-contained) or a layout fault. It is the
// command-line form of package browsercheck, for checking a report that
// snn-report wrote:
//
//	go run ./tools/browsercheck -screenshot bin/report.png report.html
//
// Exit status: 0 when every page passed, 1 when one did not, 2 on bad usage
// or when the browser could not run.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/snnkit/snnkit/pkg/report/browsercheck"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	fs := flag.NewFlagSet("browsercheck", flag.ContinueOnError)
	shot := fs.String("screenshot", "", "write a full-page PNG screenshot here (with several files: FILE-stem-NAME.png)")
	scheme := fs.String("color-scheme", "", "emulate prefers-color-scheme: light or dark")
	width := fs.Int("width", 1280, "viewport width in CSS pixels")
	height := fs.Int("height", 900, "viewport height in CSS pixels")
	timeout := fs.Duration("timeout", 90*time.Second, "time limit per page")
	verbose := fs.Bool("v", false, "print every console message")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: browsercheck [flags] FILE.html...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	status := 0
	for _, path := range fs.Args() {
		o := browsercheck.Options{Width: *width, Height: *height, ColorScheme: *scheme, Timeout: *timeout}
		if *shot != "" {
			o.Screenshot = *shot
			if fs.NArg() > 1 {
				ext := filepath.Ext(*shot)
				stem := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
				o.Screenshot = strings.TrimSuffix(*shot, ext) + "-" + stem + ext
			}
		}
		res, err := browsercheck.Check(context.Background(), path, o)
		if err != nil {
			fmt.Fprintln(os.Stderr, "browsercheck:", err)
			return 2
		}
		if *verbose {
			for _, c := range res.Console {
				fmt.Fprintln(os.Stderr, "console:", c)
			}
		}
		if err := res.Err(); err != nil {
			fmt.Fprintln(os.Stderr, "browsercheck:", err)
			status = 1
			continue
		}
		fmt.Printf("%s: ok (%d figures, %d tables, page %d×%d px", path, res.Figures, res.Tables, res.PageWidth, res.PageHeight)
		if res.Screenshot != "" {
			fmt.Printf(", screenshot %s", res.Screenshot)
		}
		fmt.Println(")")
	}
	return status
}
