package bench

import (
	_ "embed"
	"fmt"
)

// DefaultConfig is the embedded default benchmark: snn-bench plan, run and
// submit use it when no config is given, and snn-bench example prints it
// (examples/bench.yaml is the same file).
//
//go:embed default.yaml
var DefaultConfig []byte

// DefaultConfigName names the embedded default in messages and errors.
const DefaultConfigName = "(embedded default benchmark)"

// LoadDefaultConfig parses the embedded default benchmark.
func LoadDefaultConfig() (*Config, error) {
	c, err := ParseConfig(DefaultConfigName, DefaultConfig)
	if err != nil {
		return nil, fmt.Errorf("embedded default benchmark: %w", err)
	}
	return c, nil
}
