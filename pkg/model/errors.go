package model

import (
	"errors"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// Error is a problem in a model description: the file, the position where
// known, the field path and what is wrong.
type Error struct {
	File   string // file name, "--set", or the built-in's name
	Line   int    // 1-based; 0 when unknown
	Column int
	Field  string // e.g. populations[1].size
	Msg    string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Column)
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// posError is an error found while decoding a YAML node, with its position.
type posError struct {
	line, col int
	msg       string
}

func (e *posError) Error() string { return fmt.Sprintf("line %d column %d: %s", e.line, e.col, e.msg) }

func posErr(n *yaml.Node, format string, args ...any) error {
	return &posError{line: n.Line, col: n.Column, msg: fmt.Sprintf(format, args...)}
}

// fieldError is a validation error at a field path, located later.
type fieldError struct {
	path []string // e.g. ["populations", "1", "size"]
	msg  string
}

func (e *fieldError) Error() string { return pathString(e.path) + ": " + e.msg }

func fieldErr(path []string, format string, args ...any) error {
	return &fieldError{path: append([]string(nil), path...), msg: fmt.Sprintf(format, args...)}
}

// pathString renders ["populations","1","size"] as populations[1].size.
func pathString(path []string) string {
	var b strings.Builder
	for i, p := range path {
		if isIndex(p) {
			b.WriteString("[" + p + "]")
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

func isIndex(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// annotate turns decoding and validation errors into *Error for file,
// locating field paths in root when it is given.
func annotate(file string, root *yaml.Node, err error) error {
	if err == nil {
		return nil
	}
	var me *Error
	if errors.As(err, &me) {
		return err
	}
	var pe *posError
	if errors.As(err, &pe) {
		return &Error{File: file, Line: pe.line, Column: pe.col, Msg: pe.msg}
	}
	var fe *fieldError
	if errors.As(err, &fe) {
		e := &Error{File: file, Field: pathString(fe.path), Msg: fe.msg}
		if n := locate(root, fe.path); n != nil {
			e.Line, e.Column = n.Line, n.Column
		}
		return e
	}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		// yaml.v3 reports "line N: message" for each problem.
		return &Error{File: file, Msg: strings.Join(te.Errors, "; ")}
	}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	var line int
	if n, _ := fmt.Sscanf(msg, "line %d:", &line); n == 1 {
		msg = strings.TrimSpace(msg[strings.Index(msg, ":")+1:])
		return &Error{File: file, Line: line, Column: 1, Msg: msg}
	}
	return &Error{File: file, Msg: msg}
}

// locate returns the YAML node at path (sequence elements by index), or the
// deepest node found on the way.
func locate(root *yaml.Node, path []string) *yaml.Node {
	n := root
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for _, p := range path {
		if n == nil {
			return nil
		}
		next := child(n, p)
		if next == nil {
			return n
		}
		n = next
	}
	return n
}

// child returns the value under key p of a mapping, or element p of a
// sequence (by index, or by the element's name field).
func child(n *yaml.Node, p string) *yaml.Node {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == p {
				return n.Content[i+1]
			}
		}
	case yaml.SequenceNode:
		if isIndex(p) {
			var i int
			fmt.Sscan(p, &i)
			if i < len(n.Content) {
				return n.Content[i]
			}
			return nil
		}
		for _, el := range n.Content {
			if nm := child(el, "name"); el.Kind == yaml.MappingNode && nm != nil && nm.Value == p {
				return el
			}
		}
	}
	return nil
}
