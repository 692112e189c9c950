package model

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Set is one --set override: a dotted path and a YAML value.
type Set struct {
	// Path is the key split at dots: populations.E.params.tau_m.
	Path []string
	// Value is the YAML text of the new value (a scalar, or a flow
	// sequence or mapping such as [E, I] or {dist: normal, mean: 1, sd: 0.1}).
	Value string
}

// String renders the override as it was given.
func (s Set) String() string { return strings.Join(s.Path, ".") + "=" + s.Value }

// ParseSet parses a KEY=VALUE override. KEY is a parameter of a built-in
// model (scale) or a dotted path into the model (populations.E.size,
// projections.E_I.weight); sequence elements are addressed by name or index.
func ParseSet(s string) (Set, error) {
	key, val, ok := strings.Cut(s, "=")
	if !ok {
		return Set{}, fmt.Errorf("--set %q: expected KEY=VALUE", s)
	}
	key = strings.TrimSpace(key)
	if key == "" {
		return Set{}, fmt.Errorf("--set %q: empty key", s)
	}
	path := strings.Split(key, ".")
	for _, p := range path {
		if p == "" {
			return Set{}, fmt.Errorf("--set %q: empty element in key %q", s, key)
		}
	}
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(val), &n); err != nil {
		return Set{}, fmt.Errorf("--set %q: value is not valid YAML: %v", s, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	return Set{Path: path, Value: val}, nil
}

// ParseSets parses several KEY=VALUE overrides.
func ParseSets(list []string) ([]Set, error) {
	out := make([]Set, 0, len(list))
	for _, s := range list {
		set, err := ParseSet(s)
		if err != nil {
			return nil, err
		}
		out = append(out, set)
	}
	return out, nil
}

// valueNode parses the set's value into a YAML node.
func (s Set) valueNode() (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(s.Value), &doc); err != nil {
		return nil, err
	}
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		return doc.Content[0], nil
	}
	// An empty value is the empty string.
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: ""}, nil
}

// apply writes the set's value into the YAML tree at its path, creating
// missing mapping keys (the strict decode that follows rejects unknown ones).
func (s Set) apply(root *yaml.Node) error {
	val, err := s.valueNode()
	if err != nil {
		return fmt.Errorf("value is not valid YAML: %v", err)
	}
	n := root
	if n.Kind == yaml.DocumentNode {
		n = n.Content[0]
	}
	for i, p := range s.Path {
		last := i == len(s.Path)-1
		where := strings.Join(s.Path[:i], ".")
		if where == "" {
			where = "the model"
		}
		switch n.Kind {
		case yaml.MappingNode:
			next := child(n, p)
			if next == nil {
				next = &yaml.Node{Kind: yaml.MappingNode}
				n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: p}, next)
			}
			if last {
				*next = *val
				return nil
			}
			n = next
		case yaml.SequenceNode:
			next := child(n, p)
			if next == nil {
				return fmt.Errorf("%s has no element %q (accepted: %s)", where, p, elementNames(n))
			}
			if last {
				*next = *val
				return nil
			}
			n = next
		default:
			return fmt.Errorf("%s is a value, not a mapping: cannot set %q inside it", where, p)
		}
	}
	return nil
}

func elementNames(seq *yaml.Node) string {
	var names []string
	for i, el := range seq.Content {
		if nm := child(el, "name"); el.Kind == yaml.MappingNode && nm != nil {
			names = append(names, nm.Value)
		} else {
			names = append(names, strconv.Itoa(i))
		}
	}
	return strings.Join(names, ", ")
}

// Parse reads a YAML model file, applies sets, fills in defaults and
// validates. Errors are *Error values naming file, line, column and field.
func Parse(file string, data []byte, sets []Set) (*Model, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, annotate(file, nil, err)
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return nil, &Error{File: file, Msg: "empty model file: expected a mapping with name, populations, projections"}
	}
	if root.Content[0].Kind != yaml.MappingNode {
		n := root.Content[0]
		return nil, &Error{File: file, Line: n.Line, Column: n.Column, Msg: "expected a mapping with name, populations, projections"}
	}
	m, err := strictDecode(data)
	if err != nil {
		return nil, annotate(file, &root, locateTypeErrors(&root, err))
	}
	if len(sets) > 0 {
		if m, err = applySets(&root, sets); err != nil {
			return nil, err
		}
	}
	if err := Resolve(m); err != nil {
		return nil, annotate(file, &root, err)
	}
	return m, nil
}

// applySets writes sets into the YAML tree and decodes it again.
func applySets(root *yaml.Node, sets []Set) (*Model, error) {
	for _, s := range sets {
		if err := s.apply(root); err != nil {
			return nil, &Error{File: "--set " + s.String(), Msg: err.Error()}
		}
	}
	data, err := yaml.Marshal(root)
	if err != nil {
		return nil, &Error{File: "--set", Msg: err.Error()}
	}
	m, err := strictDecode(data)
	if err != nil {
		var fixed yaml.Node
		_ = yaml.Unmarshal(data, &fixed)
		e := annotate("--set", nil, locateTypeErrors(&fixed, err)).(*Error)
		e.Line, e.Column = 0, 0 // positions in the re-encoded text mean nothing to the user
		return nil, e
	}
	return m, nil
}

func strictDecode(data []byte) (*Model, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var m Model
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	return &m, nil
}

var (
	reUnknownField = regexp.MustCompile(`^line (\d+): field (\S+) not found in type model\.(\w+)$`)
	reLine         = regexp.MustCompile("^line (\\d+): (.*?)(`([^`]*)`)?(.*)$")
)

// yamlFields lists the YAML keys of the model's struct types by type name.
var yamlFields = map[string][]string{}

func init() {
	for _, v := range []any{Model{}, Population{}, Projection{}, Stimulus{}, Recorder{}, Grid{}, Kernel{}, Structural{}} {
		t := reflect.TypeOf(v)
		var keys []string
		for i := 0; i < t.NumField(); i++ {
			tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
			if tag != "" && tag != "-" {
				keys = append(keys, tag)
			}
		}
		yamlFields[t.Name()] = keys
	}
}

// locateTypeErrors turns the first yaml.v3 decoding problem into a posError
// with a column, and an unknown field into a message listing the accepted keys.
func locateTypeErrors(root *yaml.Node, err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) || len(te.Errors) == 0 {
		return err
	}
	msg := te.Errors[0]
	if m := reUnknownField.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		col := findColumn(root, line, m[2], true)
		return &posError{line: line, col: col, msg: fmt.Sprintf("unknown field %q in %s (accepted: %s)",
			m[2], strings.ToLower(m[3]), strings.Join(yamlFields[m[3]], ", "))}
	}
	if m := reLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		col := findColumn(root, line, m[4], false)
		return &posError{line: line, col: col, msg: m[2] + m[3] + m[5]}
	}
	return err
}

// findColumn returns the column of the node at line whose value is value
// (a mapping key when key is set), or of the first node on that line.
func findColumn(root *yaml.Node, line int, value string, key bool) int {
	best := 0
	var walk func(n *yaml.Node, isKey bool)
	walk = func(n *yaml.Node, isKey bool) {
		if n == nil {
			return
		}
		if n.Line == line {
			if n.Value == value && (isKey || !key) && n.Kind == yaml.ScalarNode {
				best = n.Column
				return
			}
			if best == 0 {
				best = -n.Column
			}
		}
		for i, c := range n.Content {
			walk(c, n.Kind == yaml.MappingNode && i%2 == 0)
			if best > 0 {
				return
			}
		}
	}
	walk(root, false)
	if best < 0 {
		return -best
	}
	if best == 0 {
		return 1
	}
	return best
}

// Marshal renders m as a YAML model file that Parse reads back to the same model.
func Marshal(m *Model, header string) ([]byte, error) {
	var b bytes.Buffer
	for _, line := range strings.Split(strings.TrimRight(header, "\n"), "\n") {
		if line != "" {
			fmt.Fprintf(&b, "# %s\n", line)
		}
	}
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("encode model %s: %w", m.Name, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode model %s: %w", m.Name, err)
	}
	return b.Bytes(), nil
}

// Canonical returns the canonical JSON encoding of m: struct fields in a
// fixed order, map keys sorted, numbers in their shortest exact form.
func Canonical(m *Model) ([]byte, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("canonical encoding of model %s: %w", m.Name, err)
	}
	return b, nil
}

// Digest identifies the network that m describes: the SHA-256 of its
// canonical encoding, as "sha256:HEX". Two models with the same digest build
// the same network for the same seed.
func Digest(m *Model) (string, error) {
	b, err := Canonical(m)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}
