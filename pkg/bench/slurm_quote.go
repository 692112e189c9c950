package bench

import (
	"fmt"
	"regexp"
	"strings"
)

// ShellQuote returns s as one single-quoted shell word: bash reads it back as
// exactly s, whatever it holds (';', '$(...)', backticks, quotes, line
// breaks). A NUL byte cannot be passed in a command's arguments, so it is an
// error.
func ShellQuote(s string) (string, error) {
	if strings.IndexByte(s, 0) >= 0 {
		return "", fmt.Errorf("value %q holds a NUL byte, which no shell argument can carry", s)
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'", nil
}

// shellQuoteArgs quotes each argument with ShellQuote and joins them with
// spaces: a command line bash splits back into exactly args.
func shellQuoteArgs(args []string) (string, error) {
	q := make([]string, len(args))
	for i, a := range args {
		s, err := ShellQuote(a)
		if err != nil {
			return "", fmt.Errorf("argument %d: %w", i, err)
		}
		q[i] = s
	}
	return strings.Join(q, " "), nil
}

var (
	// slurmNameRE: partition, account, QOS and job names as SLURM sites spell
	// them; a comma separates alternatives (e.g. "gpu,gpu-long").
	slurmNameRE = regexp.MustCompile(`^[A-Za-z0-9_.+-]+(,[A-Za-z0-9_.+-]+)*$`)
	// slurmTimeRE: sbatch --time forms: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S.
	slurmTimeRE = regexp.MustCompile(`^([0-9]+|[0-9]+:[0-9]{1,2}|[0-9]+:[0-9]{1,2}:[0-9]{1,2}|[0-9]+-[0-9]+|[0-9]+-[0-9]+:[0-9]{1,2}|[0-9]+-[0-9]+:[0-9]{1,2}:[0-9]{1,2}|UNLIMITED|INFINITE|unlimited|infinite)$`)
	// fileNameRE: NETKEY and RUNNAME (the shared layout allows only these).
	fileNameRE = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
	// outputRE: SLURM output paths under the results directory.
	outputRE = regexp.MustCompile(`^[A-Za-z0-9._-]+(/[A-Za-z0-9._%-]+)*$`)
)

// checkSlurmName checks a partition or account name against slurmNameRE.
func checkSlurmName(field, v string) error {
	if v != "" && !slurmNameRE.MatchString(v) {
		return fmt.Errorf("slurm %s %q: want letters, digits and . _ + - (comma-separated alternatives)", field, v)
	}
	return nil
}

// checkSlurmTime checks a time limit against the forms sbatch --time accepts.
func checkSlurmTime(v string) error {
	if v != "" && !slurmTimeRE.MatchString(v) {
		return fmt.Errorf("slurm time %q: want minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS or UNLIMITED", v)
	}
	return nil
}

// checkFileName checks a network key or run name used as a file name.
func checkFileName(field, v string) error {
	if v == "" || v == "." || v == ".." || !fileNameRE.MatchString(v) {
		return fmt.Errorf("%s %q: want letters, digits and . _ - only", field, v)
	}
	return nil
}

// checkSbatchLine checks an extra #SBATCH line: one option (starting with
// "-") on one line. sbatch reads it as options, so it may not break the line.
func checkSbatchLine(v string) error {
	if strings.ContainsAny(v, "\n\r\x00") {
		return fmt.Errorf("extra #SBATCH line %q: holds a line break or NUL", v)
	}
	if !strings.HasPrefix(strings.TrimSpace(v), "-") {
		return fmt.Errorf("extra #SBATCH line %q: want an sbatch option such as \"--qos=normal\" or \"--constraint=cpu\"", v)
	}
	return nil
}

// checkSetupLine checks an environment set-up line from the machine profile
// (shell code such as "module load openmpi", written into every job as given):
// a NUL byte would truncate the script.
func checkSetupLine(v string) error {
	if strings.IndexByte(v, 0) >= 0 {
		return fmt.Errorf("environment set-up line %q: holds a NUL byte", v)
	}
	return nil
}
