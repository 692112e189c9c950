package figure

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
)

var ranks = []float64{1, 2, 4, 8, 16}

// kinds draws one figure of each kind from valid input.
var kinds = []struct {
	name string
	draw func(o Options) ([]byte, error)
	// texts must appear in the SVG's text.
	texts []string
}{
	{"lines", func(o Options) ([]byte, error) {
		o.LogX = true
		return Lines(o, []Series{
			{Label: "brunel", X: ranks, Y: []float64{8, 4.2, 2.3, 1.3, 0.8}, Low: []float64{7.8, 4, 2.2, 1.2, 0.75}, High: []float64{8.3, 4.4, 2.4, 1.4, 0.9}},
			{Label: "micro<circuit>&", X: []float64{16, 1, 4}, Y: []float64{0.5, 4.5, 1.3}},
		})
	}, []string{"brunel", "micro&lt;circuit&gt;&amp;", "16"}},
	{"scaling", func(o Options) ([]byte, error) {
		o.LogX, o.LogY = true, true
		return Scaling(o, []Series{
			{Label: "threads=1", X: ranks, Y: []float64{80, 42, 23, 13, 8}},
			{Label: "threads=2", X: ranks[:3], Y: []float64{45, 24, 13}, Low: []float64{44, 23, 12}, High: []float64{46, 25, 14}},
		})
	}, []string{"threads=1", "ideal scaling", "parallel efficiency (%)"}},
	{"stacked bars", func(o Options) ([]byte, error) {
		return StackedBars(o, []string{"1", "2", "4"}, []Stack{
			{Label: "time_update", Values: []float64{50, 26, 14}},
			{Label: "time_deliver", Values: []float64{25, 13, 7}},
			{Label: "time_communicate", Values: []float64{0, 2, 2.5}},
		})
	}, []string{"time_update", "time_communicate"}},
	{"bars", func(o Options) ([]byte, error) {
		return Bars(o, []string{"L23E", "L23I", "L4E"}, []float64{0.9, 2.8, 4.4}, []float64{0.8, 2.6, 4.1}, []float64{1, 3, 4.7})
	}, []string{"L23E", "L4E"}},
	{"bars without error bars", func(o Options) ([]byte, error) {
		return Bars(o, []string{"memory"}, []float64{48.5}, nil, nil)
	}, []string{"memory"}},
	{"history", func(o Options) ([]byte, error) {
		o.XTicks = []Tick{{0, "aaaaaaa"}, {1, "bbbbbbb"}, {2, "ccccccc"}, {3, "ddddddd"}}
		return History(o, []Series{
			{Label: "node01", X: []float64{0, 1, 2, 3}, Y: []float64{10, 10.1, 11.5, 11.6}},
			{Label: "node02", X: []float64{0, 2}, Y: []float64{12, 12.2}},
		}, []Change{{X: 2, Label: "ccccccc +14 %"}})
	}, []string{"node02", "change point", "ccccccc +14 %", "aaaaaaa"}},
	{"single point", func(o Options) ([]byte, error) {
		o.LogX, o.LogY = true, true
		return Lines(o, []Series{{X: []float64{4}, Y: []float64{2}}})
	}, nil},
}

// svgTexts parses an SVG with encoding/xml and returns its text content,
// failing the test when it is not one well-formed <svg> document.
func svgTexts(t *testing.T, b []byte) string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	var texts strings.Builder
	depth, roots := 0, 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
				if e.Name.Local != "svg" {
					t.Fatalf("root element %q, want svg", e.Name.Local)
				}
			}
			for _, a := range e.Attr {
				if a.Name.Local == "href" || a.Name.Local == "src" {
					t.Errorf("SVG has a reference %s=%q", a.Name.Local, a.Value)
				}
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			texts.Write(e)
			texts.WriteByte('\n')
		}
	}
	if roots != 1 || depth != 0 {
		t.Fatalf("SVG has %d roots, depth %d at the end", roots, depth)
	}
	return texts.String()
}

func TestFiguresSVG(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			o := Options{Title: "Title of " + k.name, XLabel: "MPI ranks", YLabel: "time (s)"}
			b, err := k.draw(o)
			if err != nil {
				t.Fatal(err)
			}
			texts := svgTexts(t, b)
			raw := string(b)
			for _, want := range append([]string{o.Title, o.XLabel, o.YLabel}, k.texts...) {
				// Texts are escaped in the file; compare with the escaped form.
				if !strings.Contains(raw, want) && !strings.Contains(texts, want) {
					t.Errorf("SVG does not show %q", want)
				}
			}
			if strings.Contains(raw, "Liberation Serif") || !strings.Contains(raw, "'Liberation Sans',Arimo,Arial") {
				t.Errorf("SVG fonts are not Liberation Sans with fall-backs")
			}
			again, err := k.draw(o)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b, again) {
				t.Errorf("two drawings of the same input differ")
			}
		})
	}
}

func TestFiguresPNG(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			b, err := k.draw(Options{Title: k.name, Format: "PNG", Width: 5, Height: 3})
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("not a PNG: %v", err)
			}
			if got := img.Bounds().Size(); got.X != 5*pngDPI || got.Y != 3*pngDPI {
				t.Errorf("PNG is %v px, want %d×%d", got, 5*pngDPI, 3*pngDPI)
			}
			again, _ := k.draw(Options{Title: k.name, Format: "png", Width: 5, Height: 3})
			if !bytes.Equal(b, again) {
				t.Errorf("two PNG drawings of the same input differ")
			}
		})
	}
}

func TestFigureErrors(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	line := func(s ...Series) func() ([]byte, error) {
		return func() ([]byte, error) { return Lines(Options{}, s) }
	}
	for _, tc := range []struct {
		name string
		draw func() ([]byte, error)
		want string
	}{
		{"no series", line(), "no series"},
		{"empty series", line(Series{Label: "a"}), `series 0 ("a"): no points`},
		{"length mismatch", line(Series{X: []float64{1, 2}, Y: []float64{1}}), "2 x values but 1 y values"},
		{"NaN y", line(Series{X: []float64{1, 2}, Y: []float64{1, nan}}), "point 1 (2, NaN) is not finite"},
		{"Inf x", line(Series{X: []float64{inf}, Y: []float64{1}}), "is not finite"},
		{"low without high", line(Series{X: []float64{1}, Y: []float64{1}, Low: []float64{0}}), "Low and High must both be set"},
		{"short interval", line(Series{X: []float64{1, 2}, Y: []float64{1, 2}, Low: []float64{0}, High: []float64{2}}), "1 Low and 1 High"},
		{"interval misses point", line(Series{X: []float64{1}, Y: []float64{5}, Low: []float64{1}, High: []float64{2}}), "does not contain y = 5"},
		{"NaN interval", line(Series{X: []float64{1}, Y: []float64{5}, Low: []float64{nan}, High: []float64{6}}), "interval [NaN, 6] is not finite"},
		{"log x zero", func() ([]byte, error) {
			return Lines(Options{LogX: true}, []Series{{X: []float64{0, 1}, Y: []float64{1, 1}}})
		}, "must be positive on a logarithmic x axis"},
		{"log y negative low", func() ([]byte, error) {
			return Lines(Options{LogY: true}, []Series{{X: []float64{1}, Y: []float64{1}, Low: []float64{-1}, High: []float64{2}}})
		}, "Low = -1 must be positive"},
		{"format", func() ([]byte, error) {
			return Lines(Options{Format: "pdf"}, []Series{{X: []float64{1}, Y: []float64{1}}})
		}, `format "pdf": accepted values are svg and png`},
		{"width", func() ([]byte, error) {
			return Lines(Options{Width: -3}, []Series{{X: []float64{1}, Y: []float64{1}}})
		}, "width -3 inches"},
		{"height NaN", func() ([]byte, error) {
			return Lines(Options{Height: nan}, []Series{{X: []float64{1}, Y: []float64{1}}})
		}, "height NaN inches"},
		{"tick NaN", func() ([]byte, error) {
			return Lines(Options{XTicks: []Tick{{nan, "x"}}}, []Series{{X: []float64{1}, Y: []float64{1}}})
		}, `XTicks[0] ("x")`},
		{"scaling zero time", func() ([]byte, error) {
			return Scaling(Options{}, []Series{{X: []float64{1, 2}, Y: []float64{0, 1}}})
		}, "ranks and times must be positive"},
		{"scaling empty", func() ([]byte, error) { return Scaling(Options{}, nil) }, "no series"},
		{"bars no categories", func() ([]byte, error) { return Bars(Options{}, nil, nil, nil, nil) }, "no categories"},
		{"bars mismatch", func() ([]byte, error) {
			return Bars(Options{}, []string{"a", "b"}, []float64{1}, nil, nil)
		}, "1 values for 2 categories"},
		{"bars NaN", func() ([]byte, error) {
			return Bars(Options{}, []string{"a"}, []float64{nan}, nil, nil)
		}, "not finite"},
		{"bars log", func() ([]byte, error) {
			return Bars(Options{LogY: true}, []string{"a"}, []float64{1}, nil, nil)
		}, "LogX and LogY must be false"},
		{"bars interval", func() ([]byte, error) {
			return Bars(Options{}, []string{"a"}, []float64{1}, []float64{2}, []float64{3})
		}, "does not contain"},
		{"stacks none", func() ([]byte, error) { return StackedBars(Options{}, []string{"a"}, nil) }, "no stacks"},
		{"stacks mismatch", func() ([]byte, error) {
			return StackedBars(Options{}, []string{"a", "b"}, []Stack{{Label: "u", Values: []float64{1}}})
		}, `stack 0 ("u"): 1 values for 2 categories`},
		{"stacks negative", func() ([]byte, error) {
			return StackedBars(Options{}, []string{"a"}, []Stack{{Label: "u", Values: []float64{-1}}})
		}, "finite and non-negative"},
		{"stacks NaN", func() ([]byte, error) {
			return StackedBars(Options{}, []string{"a"}, []Stack{{Label: "u", Values: []float64{nan}}})
		}, "finite and non-negative"},
		{"history change NaN", func() ([]byte, error) {
			return History(Options{}, []Series{{X: []float64{1}, Y: []float64{1}}}, []Change{{X: nan, Label: "c"}})
		}, `change 0 ("c")`},
		{"history empty", func() ([]byte, error) { return History(Options{}, nil, nil) }, "no series"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := tc.draw()
			if err == nil {
				t.Fatalf("no error (%d bytes)", len(b))
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not mention %q", err, tc.want)
			}
			if b != nil {
				t.Errorf("bytes returned with an error")
			}
		})
	}
}

func TestIdealScaling(t *testing.T) {
	for _, tc := range []struct {
		name    string
		x, y    []float64
		ideal   []float64
		percent []float64
	}{
		{"perfect", []float64{1, 2, 4}, []float64{80, 40, 20}, []float64{80, 40, 20}, []float64{100, 100, 100}},
		{"from two ranks", []float64{2, 4, 8}, []float64{50, 40, 12.5}, []float64{50, 25, 12.5}, []float64{100, 62.5, 100}},
		{"superlinear", []float64{1, 2}, []float64{10, 4}, []float64{10, 5}, []float64{100, 125}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ideal, eff := idealScaling(Series{X: tc.x, Y: tc.y})
			for i := range tc.x {
				if math.Abs(ideal[i].Y-tc.ideal[i]) > 1e-12 || math.Abs(eff.Y[i]-tc.percent[i]) > 1e-12 {
					t.Errorf("point %d: ideal %v efficiency %v, want %v and %v", i, ideal[i].Y, eff.Y[i], tc.ideal[i], tc.percent[i])
				}
			}
		})
	}
}

func TestScalingSortsPoints(t *testing.T) {
	a, err := Scaling(Options{}, []Series{{Label: "s", X: []float64{4, 1, 2}, Y: []float64{20, 80, 40}}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Scaling(Options{}, []Series{{Label: "s", X: []float64{1, 2, 4}, Y: []float64{80, 40, 20}}})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Errorf("the order of the points changes the figure")
	}
}

func TestTickers(t *testing.T) {
	for _, tc := range []struct {
		name     string
		log      bool
		min, max float64
		want     []string
	}{
		{"log decades", true, 1, 1000, []string{"1", "10", "100", "1000"}},
		{"log within a decade", true, 12, 80, []string{"20", "30", "40", "50", "60", "70", "80"}},
		{"log two decades", true, 3, 250, []string{"5", "10", "20", "50", "100", "200"}},
		{"log narrow", true, 12, 18, []string{"12", "15", "18"}},
		{"log many decades thinned", true, 1e-3, 1e12, []string{"0.001", "0.1", "10", "1000", "100000", "1e+07", "1e+09", "1e+11"}},
		{"linear integers", false, 0, 75, []string{"0", "25", "50", "75"}},
		{"linear decimals", false, 0, 0.3, []string{"0.00", "0.15", "0.30"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			if tc.log {
				for _, tk := range (logTicker{}).Ticks(tc.min, tc.max) {
					if tk.Label != "" {
						got = append(got, tk.Label)
					}
				}
			} else {
				for _, tk := range (linearTicker{}).Ticks(tc.min, tc.max) {
					if tk.Label != "" {
						got = append(got, tk.Label)
					}
				}
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("labels %q, want %q", got, tc.want)
			}
		})
	}
	if ts := (logTicker{}).Ticks(0, 1); ts != nil {
		t.Errorf("log ticks from 0: %v, want none", ts)
	}
	if ts := (linearTicker{}).Ticks(1, 1); ts != nil {
		t.Errorf("linear ticks of an empty range: %v, want none", ts)
	}
}

// FuzzLines draws arbitrary two-point series on every axis kind: the result
// is an error or a well-formed SVG, never a panic.
func FuzzLines(f *testing.F) {
	f.Add(1.0, 2.0, 3.0, 4.0, false, false)
	f.Add(0.0, 0.0, 0.0, 0.0, true, true)
	f.Add(-1.0, 1e308, 5e-324, -1e308, false, true)
	f.Add(math.NaN(), 1.0, math.Inf(-1), 2.0, true, false)
	f.Fuzz(func(t *testing.T, x1, y1, x2, y2 float64, logX, logY bool) {
		s := []Series{{Label: "a", X: []float64{x1, x2}, Y: []float64{y1, y2}}}
		if b, err := Lines(Options{LogX: logX, LogY: logY}, s); err == nil {
			svgTexts(t, b)
		}
		if b, err := Scaling(Options{LogX: logX, LogY: logY}, s); err == nil {
			svgTexts(t, b)
		}
		if b, err := History(Options{LogX: logX, LogY: logY}, s, []Change{{X: x2, Label: "c"}}); err == nil {
			svgTexts(t, b)
		}
	})
}

func TestFitYLabel(t *testing.T) {
	for _, tc := range []struct {
		label  string
		height float64 // points
		want   string
	}{
		{"time (s)", 100, "time (s)"},
		{"real-time factor (wall-clock / model time)", 120, "real-time factor\n(wall-clock / model time)"},
		{"real-time factor (wall-clock / model time)", 1000, "real-time factor (wall-clock / model time)"},
		{"unbreakable_very_long_metric_name_without_spaces", 50, "unbreakable_very_long_metric_name_without_spaces"},
	} {
		p := newPlot("", "", tc.label, false, false)
		fitYLabel(p, vg.Points(tc.height))
		if p.Y.Label.Text != tc.want {
			t.Errorf("fitYLabel(%q, %v pt) = %q, want %q", tc.label, tc.height, p.Y.Label.Text, tc.want)
		}
	}
}
