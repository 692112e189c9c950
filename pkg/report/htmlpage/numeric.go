package htmlpage

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// neutralCells are placeholders that neither make a column numeric nor stop it being so.
var neutralCells = map[string]bool{
	"": true, "~": true, "-": true, "—": true, "–": true, "n/a": true, "NaN": true, "?": true,
}

// numericColumns reports, for each of cols columns, whether every cell that
// is not a placeholder looks like a number (with an optional sign, change
// marker, unit or interval after it) and at least one does.
func numericColumns(rows [][]string, cols int) []bool {
	seen := make([]bool, cols)
	num := make([]bool, cols)
	for i := range num {
		num[i] = true
	}
	for _, r := range rows {
		for i, c := range r {
			c = strings.TrimSpace(c)
			if neutralCells[c] {
				continue
			}
			seen[i] = true
			if !numericCell(c) {
				num[i] = false
			}
		}
	}
	for i := range num {
		num[i] = num[i] && seen[i]
	}
	return num
}

// numericCell reports whether c starts like a number ("12", "-3.5 %",
// "+4.1%", "~1.2e-3", "±0.4", "1.23 [1.10–1.40]", "×2.1", "4 GiB") and has
// no more letters than digits, or at most three (a unit).
func numericCell(c string) bool {
	s := strings.TrimLeft(c, "+-−~±≈<>×x ")
	if s == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	if r == '.' && len(s) > 1 {
		r, _ = utf8.DecodeRuneInString(s[1:])
	}
	if !unicode.IsDigit(r) || looksHex(s) {
		return false
	}
	var digits, letters int
	for _, r := range s {
		switch {
		case unicode.IsDigit(r):
			digits++
		case unicode.IsLetter(r):
			letters++
		}
	}
	return letters <= max(digits, 3)
}

// looksHex reports whether s is a hexadecimal identifier with letters, such
// as a short commit hash ("3f2a1bc"), which is not a number to align.
func looksHex(s string) bool {
	if len(s) < 7 {
		return false
	}
	letters := false
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
		case r >= 'a' && r <= 'f', r >= 'A' && r <= 'F':
			letters = true
		default:
			return false
		}
	}
	return letters
}
