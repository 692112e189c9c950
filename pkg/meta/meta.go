// Package meta collects metadata about a run: the toolkit's version and
// revision, the machine, and resource usage.
package meta

import (
	"runtime/debug"
	"strings"
)

// Tool describes the running toolkit build.
type Tool struct {
	// Version is the module version ("(devel)" for a source build).
	Version string `json:"version"`
	// Revision is the VCS commit the binary was built from, with "+dirty"
	// when the work tree had changes; empty when unknown.
	Revision string `json:"revision,omitempty"`
	// Time is the commit time of Revision (RFC 3339, as the Go toolchain
	// stamps it into the binary's vcs.time); empty when unknown.
	Time string `json:"time,omitempty"`
	// Go is the Go toolchain version.
	Go string `json:"go"`
}

// ToolInfo reads the toolkit's version from the binary's build information.
func ToolInfo() Tool {
	t := Tool{Version: "(unknown)"}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return t
	}
	t.Version, t.Go = bi.Main.Version, bi.GoVersion
	var dirty bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			t.Revision = s.Value
		case "vcs.time":
			t.Time = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if dirty && t.Revision != "" {
		t.Revision += "+dirty"
	}
	return t
}

// String renders the build as "VERSION (REVISION)", the revision shortened.
func (t Tool) String() string {
	s := t.Version
	if t.Revision != "" {
		rev := t.Revision
		if i := strings.Index(rev, "+"); i > 12 {
			rev = rev[:12] + rev[i:]
		} else if len(rev) > 12 && i < 0 {
			rev = rev[:12]
		}
		s += " (" + rev + ")"
	}
	return s
}
