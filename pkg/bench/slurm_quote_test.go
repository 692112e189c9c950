package bench

import (
	"os/exec"
	"strings"
	"testing"
)

// hostile holds values a model name, parameter or benchmark name might carry
// to break out of a shell word.
var hostile = []string{
	"",
	"plain",
	"a b  c",
	"x; touch INJECTED",
	"$(touch INJECTED)",
	"`touch INJECTED`",
	"it's",
	`"double" and \backslash\`,
	"'; touch INJECTED; '",
	"line1\ntouch INJECTED\n",
	"$HOME ${PATH} $1 $@ !! ~ * ? [a] {a,b}",
	"tab\there\r\n",
	"ünïcødé ☃",
	"--flag=value",
	"-n",
}

func TestShellQuoteRoundTrip(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash not found")
	}
	q, err := shellQuoteArgs(hostile)
	if err != nil {
		t.Fatal(err)
	}
	// bash splits the quoted line back into exactly the values.
	dir := t.TempDir()
	cmd := exec.Command("bash", "-c", "set -f; for a in "+q+"; do printf '%s\\0' \"$a\"; done")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	if len(got) != len(hostile) {
		t.Fatalf("bash read %d words, want %d: %q", len(got), len(hostile), got)
	}
	for i := range hostile {
		if got[i] != hostile[i] {
			t.Errorf("word %d: bash read %q, want %q", i, got[i], hostile[i])
		}
	}
	if ents, _ := exec.Command("ls", "-A", dir).Output(); len(ents) != 0 {
		t.Errorf("quoting let a command run: %s", ents)
	}
}

func TestShellQuote(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "''"},
		{"abc", "'abc'"},
		{"it's", `'it'\''s'`},
		{"$(x)", "'$(x)'"},
		{"a\nb", "'a\nb'"},
	} {
		got, err := ShellQuote(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ShellQuote(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	if _, err := ShellQuote("a\x00b"); err == nil {
		t.Error("ShellQuote accepted a NUL byte")
	}
}

func FuzzShellQuote(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ShellQuote(s)
		if strings.IndexByte(s, 0) >= 0 {
			if err == nil {
				t.Fatal("accepted NUL")
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		// Unquote as the shell does: outside quotes only the '\'' sequence.
		if !strings.HasPrefix(q, "'") || !strings.HasSuffix(q, "'") {
			t.Fatalf("%q not single-quoted", q)
		}
		body := q[1 : len(q)-1]
		if strings.Contains(strings.ReplaceAll(body, `'\''`, ""), "'") {
			t.Fatalf("%q: a quote outside the escape sequence", q)
		}
		if got := strings.ReplaceAll(body, `'\''`, "'"); got != s {
			t.Fatalf("unquoted %q, want %q", got, s)
		}
	})
}

func TestSlurmValidators(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"partition ok", checkSlurmName("partition", "gpu-long")},
		{"partition list", checkSlurmName("partition", "batch,debug")},
		{"partition empty", checkSlurmName("partition", "")},
		{"time min", checkSlurmTime("30")},
		{"time hms", checkSlurmTime("01:30:00")},
		{"time days", checkSlurmTime("1-12:00:00")},
		{"time unlimited", checkSlurmTime("UNLIMITED")},
		{"run name", checkFileName("run name", "003-brunel-N2000-r2t1-collective-cpu-s1")},
		{"sbatch line", checkSbatchLine("--qos=normal")},
		{"setup", checkSetupLine("module load openmpi; export X=$(pwd)")},
	} {
		if tc.err != nil {
			t.Errorf("%s: %v", tc.name, tc.err)
		}
	}
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"partition space", checkSlurmName("partition", "a b")},
		{"partition inject", checkSlurmName("partition", "x\n#SBATCH --wrap=x")},
		{"account subst", checkSlurmName("account", "$(id)")},
		{"time words", checkSlurmTime("1 hour")},
		{"time inject", checkSlurmTime("10\nrm -rf /")},
		{"run name slash", checkFileName("run name", "../x")},
		{"run name dots", checkFileName("run name", "..")},
		{"run name empty", checkFileName("run name", "")},
		{"sbatch newline", checkSbatchLine("--qos=a\ntouch x")},
		{"sbatch not option", checkSbatchLine("touch x")},
		{"setup nul", checkSetupLine("a\x00b")},
	} {
		if tc.err == nil {
			t.Errorf("%s: accepted", tc.name)
		}
	}
}
