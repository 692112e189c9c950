// Package jobs holds the SLURM job templates of snn-bench submit: Go
// text/template files embedded into the binary. A site overrides any of them
// (or adds #SBATCH lines to all of them through header.tmpl) with
// snn-bench submit --templates DIR; README.md lists the data they see.
package jobs

import "embed"

// FS holds the embedded templates: header.tmpl (the #SBATCH lines and
// environment set-up shared by every job), build.sbatch.tmpl,
// run.sbatch.tmpl and collect.sbatch.tmpl.
//
//go:embed *.tmpl
var FS embed.FS

// Names of the job templates, one per kind of job.
const (
	Build   = "build.sbatch.tmpl"
	Run     = "run.sbatch.tmpl"
	Collect = "collect.sbatch.tmpl"
	// Header defines the templates "sbatch" (the #SBATCH lines) and
	// "setup" (the environment set-up lines) that the job templates use.
	Header = "header.tmpl"
)
