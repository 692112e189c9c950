package htmlpage

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// forbiddenElements may run code or load content when an SVG is inline in HTML.
var forbiddenElements = map[string]bool{
	"script": true, "foreignobject": true, "iframe": true, "object": true,
	"embed": true, "audio": true, "video": true, "handler": true, "listener": true,
	"animate": true, "set": true, "animatemotion": true, "animatetransform": true,
}

// inlineSVG checks that b is one well-formed SVG document with nothing that
// runs code or reaches the network (scripts, event-handler attributes,
// external href or url() references) and returns it from its <svg> start
// tag on, without the XML prolog and leading comments, ready to be placed
// inside HTML.
func inlineSVG(b []byte) ([]byte, error) {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	depth := 0
	start := int64(-1)
	end := int64(-1)
	for {
		off := d.InputOffset()
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("SVG is not well-formed XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			if depth == 0 {
				if start >= 0 {
					return nil, fmt.Errorf("SVG has more than one root element")
				}
				if name != "svg" {
					return nil, fmt.Errorf("root element is <%s>, want <svg>", t.Name.Local)
				}
				start = off
			}
			if forbiddenElements[name] {
				return nil, fmt.Errorf("SVG contains a <%s> element, which is not allowed", t.Name.Local)
			}
			for _, a := range t.Attr {
				if err := checkAttr(t.Name.Local, a); err != nil {
					return nil, err
				}
			}
			depth++
		case xml.EndElement:
			depth--
			if depth == 0 {
				end = d.InputOffset()
			}
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(t)) > 0 {
				return nil, fmt.Errorf("SVG has text outside its root element")
			}
			if depth > 0 && hasExternalURL(string(t)) {
				return nil, fmt.Errorf("SVG text or style refers to an external resource")
			}
		case xml.Directive:
			if depth > 0 {
				return nil, fmt.Errorf("SVG contains a <!%s> directive inside its root, which is not allowed", firstWord(t))
			}
		case xml.ProcInst:
			if depth > 0 {
				return nil, fmt.Errorf("SVG contains a processing instruction <?%s?> inside its root", t.Target)
			}
		}
	}
	if start < 0 {
		return nil, fmt.Errorf("SVG has no <svg> element")
	}
	return bytes.TrimSpace(b[start:end]), nil
}

// checkAttr rejects event handlers and references outside the document.
func checkAttr(elem string, a xml.Attr) error {
	name := strings.ToLower(a.Name.Local)
	if strings.HasPrefix(name, "on") {
		return fmt.Errorf("SVG element <%s> has an event-handler attribute %q, which is not allowed", elem, a.Name.Local)
	}
	v := strings.TrimSpace(strings.ToLower(a.Value))
	if name == "href" || name == "src" {
		if !strings.HasPrefix(v, "#") && !strings.HasPrefix(v, "data:image/") {
			return fmt.Errorf("SVG element <%s> refers to %q; only #fragment and data:image/ references are allowed", elem, a.Value)
		}
	}
	if hasExternalURL(v) {
		return fmt.Errorf("SVG element <%s> attribute %q refers to an external resource", elem, a.Name.Local)
	}
	return nil
}

// hasExternalURL reports whether CSS text s has a url(…) or @import that
// is not a fragment or inline data.
func hasExternalURL(s string) bool {
	s = strings.ToLower(s)
	if strings.Contains(s, "@import") {
		return true
	}
	for {
		i := strings.Index(s, "url(")
		if i < 0 {
			return false
		}
		s = s[i+4:]
		arg := strings.TrimLeft(s, " \t\n'\"")
		if !strings.HasPrefix(arg, "#") && !strings.HasPrefix(arg, "data:") {
			return true
		}
	}
}

// firstWord returns the first word of a directive, for error messages.
func firstWord(b []byte) string {
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return ""
	}
	return f[0]
}
