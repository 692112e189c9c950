// Package machines holds the machine profiles shipped with snnkit: where a
// benchmark runs (launcher, SLURM defaults, environment set-up, limits),
// kept apart from what it runs. snn-bench --machine NAME finds NAME.yaml
// here unless a user or site directory has one (see the README).
package machines

import "embed"

// FS holds the shipped profiles, NAME.yaml each.
//
//go:embed *.yaml
var FS embed.FS
