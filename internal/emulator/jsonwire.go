package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// kv is one member of an ordered JSON object.
type kv struct {
	k string
	v any
}

// object is a JSON object that keeps its members in the order given, which is
// how the server's structs serialise.
type object []kv

// MarshalJSON writes the members in order, compactly and without HTML escaping.
func (o object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(enc(f.k))
		b.WriteByte(':')
		b.Write(enc(f.v))
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// enc marshals v the way sonic does by default: compact, no HTML escaping.
func enc(v any) []byte {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		panic(fmt.Sprintf("emulator: cannot encode %T: %v", v, err))
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// syntaxError is the first syntax error in a request body, positioned the way
// sonic positions it (the offending byte, or the end of input for eof).
type syntaxError struct {
	pos int
	msg string
}

func (e *syntaxError) Error() string { return e.msg }

// mismatchError is a JSON value whose type does not fit the Go field it is
// decoded into.
type mismatchError struct {
	pos    int
	goType string
}

func (e *mismatchError) Error() string { return "mismatched type with value" }

// sonicMessage renders a decoding error with the text sonic's errors carry,
// given the full source the position refers to.
func sonicMessage(src []byte, err error) string {
	switch e := err.(type) {
	case *syntaxError:
		if len(src) == 0 {
			return strconv.Quote(`Syntax error no sources available, the input json is empty: decoder.SyntaxError{Pos:0, Src:"", Code:0x1, Msg:""}`)
		}
		return strconv.Quote("Syntax error " + describeAt(src, e.pos, e.msg))
	case *mismatchError:
		return fmt.Sprintf("Mismatch type %s with value %s %q", e.goType, valueKind(src, e.pos), describeAt(src, e.pos, "mismatched type with value"))
	}
	return strconv.Quote(err.Error())
}

// describeAt reproduces sonic's error description: the message, then a window
// of up to 16 bytes either side of pos with a caret under the position.
func describeAt(src []byte, pos int, msg string) string {
	size := len(src)
	lb, lw, rb, rw := 0, 0, size, 0
	if pos >= 0 && pos < size {
		lb = max(0, pos-16)
		rb = min(size, pos+16)
		lw = pos - lb
		rw = rb - pos - 1
	}
	return fmt.Sprintf("at index %d: %s\n\n\t%s\n\t%s^%s\n", pos, msg, src[lb:rb], strings.Repeat(".", lw), strings.Repeat(".", rw))
}

func valueKind(src []byte, pos int) string {
	if pos < 0 || pos >= len(src) {
		return "unknown"
	}
	switch src[pos] {
	case 'n':
		return "null"
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "bool"
	}
	return "number"
}

// scanner validates JSON and walks values without decoding them.
type scanner struct {
	s []byte
	i int
}

// validate reports the first syntax error in src, or nil.
func validate(src []byte) error {
	sc := &scanner{s: src}
	if err := sc.value(); err != nil {
		return err
	}
	sc.ws()
	if sc.i < len(sc.s) {
		return sc.fail("invalid char")
	}
	return nil
}

func (sc *scanner) ws() {
	for sc.i < len(sc.s) {
		switch sc.s[sc.i] {
		case ' ', '\t', '\n', '\r':
			sc.i++
		default:
			return
		}
	}
}

func (sc *scanner) fail(msg string) error {
	if sc.i >= len(sc.s) {
		return &syntaxError{pos: len(sc.s), msg: "eof"}
	}
	return &syntaxError{pos: sc.i, msg: msg}
}

// expect consumes c after optional whitespace.
func (sc *scanner) expect(c byte) error {
	sc.ws()
	if sc.i >= len(sc.s) || sc.s[sc.i] != c {
		return sc.fail("invalid char")
	}
	sc.i++
	return nil
}

func (sc *scanner) value() error {
	sc.ws()
	if sc.i >= len(sc.s) {
		return sc.fail("")
	}
	switch c := sc.s[sc.i]; {
	case c == '{':
		return sc.container('}', true)
	case c == '[':
		return sc.container(']', false)
	case c == '"':
		return sc.str()
	case c == 't':
		return sc.literal("true")
	case c == 'f':
		return sc.literal("false")
	case c == 'n':
		return sc.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		return sc.number()
	}
	return sc.fail("invalid char")
}

func (sc *scanner) container(end byte, isObject bool) error {
	sc.i++
	sc.ws()
	if sc.i < len(sc.s) && sc.s[sc.i] == end {
		sc.i++
		return nil
	}
	for {
		if isObject {
			sc.ws()
			if sc.i >= len(sc.s) || sc.s[sc.i] != '"' {
				return sc.fail("invalid char")
			}
			if err := sc.str(); err != nil {
				return err
			}
			if err := sc.expect(':'); err != nil {
				return err
			}
		}
		if err := sc.value(); err != nil {
			return err
		}
		sc.ws()
		if sc.i >= len(sc.s) {
			return sc.fail("")
		}
		switch sc.s[sc.i] {
		case ',':
			sc.i++
		case end:
			sc.i++
			return nil
		default:
			return sc.fail("invalid char")
		}
	}
}

func (sc *scanner) str() error {
	sc.i++
	for sc.i < len(sc.s) {
		switch sc.s[sc.i] {
		case '"':
			sc.i++
			return nil
		case '\\':
			sc.i++
			if sc.i >= len(sc.s) {
				return sc.fail("")
			}
			switch sc.s[sc.i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				sc.i++
			case 'u':
				sc.i++
				for range 4 {
					if sc.i >= len(sc.s) {
						return sc.fail("")
					}
					if !isHex(sc.s[sc.i]) {
						return sc.fail("invalid escape char")
					}
					sc.i++
				}
			default:
				return sc.fail("invalid escape char")
			}
		default:
			sc.i++
		}
	}
	return sc.fail("")
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func (sc *scanner) literal(word string) error {
	for j := range len(word) {
		if sc.i >= len(sc.s) {
			return sc.fail("")
		}
		if sc.s[sc.i] != word[j] {
			return sc.fail("invalid char")
		}
		sc.i++
	}
	return nil
}

func (sc *scanner) digits() error {
	start := sc.i
	for sc.i < len(sc.s) && sc.s[sc.i] >= '0' && sc.s[sc.i] <= '9' {
		sc.i++
	}
	if sc.i == start {
		return sc.fail("invalid char")
	}
	return nil
}

func (sc *scanner) number() error {
	if sc.s[sc.i] == '-' {
		sc.i++
	}
	if sc.i < len(sc.s) && sc.s[sc.i] == '0' {
		sc.i++
	} else if err := sc.digits(); err != nil {
		return err
	}
	if sc.i < len(sc.s) && sc.s[sc.i] == '.' {
		sc.i++
		if err := sc.digits(); err != nil {
			return err
		}
	}
	if sc.i < len(sc.s) && (sc.s[sc.i] == 'e' || sc.s[sc.i] == 'E') {
		sc.i++
		if sc.i < len(sc.s) && (sc.s[sc.i] == '+' || sc.s[sc.i] == '-') {
			sc.i++
		}
		return sc.digits()
	}
	return nil
}

// field is one member of a JSON object in a validated body: its name, raw
// value and the absolute offset of the value in the body.
type field struct {
	name string
	raw  []byte
	pos  int
}

// fieldsAt lists the members of the object starting at src[at], in order.
// src must already be valid JSON.
func fieldsAt(src []byte, at int) []field {
	sc := &scanner{s: src, i: at + 1}
	var out []field
	for {
		sc.ws()
		if sc.s[sc.i] == '}' {
			return out
		}
		if sc.s[sc.i] == ',' {
			sc.i++
			sc.ws()
		}
		ks := sc.i
		_ = sc.str()
		var name string
		if err := json.Unmarshal(src[ks:sc.i], &name); err != nil {
			name = string(src[ks+1 : sc.i-1])
		}
		_ = sc.expect(':')
		sc.ws()
		vs := sc.i
		_ = sc.value()
		out = append(out, field{name: name, raw: src[vs:sc.i], pos: vs})
	}
}

// elemsAt lists the elements of the array starting at src[at].
func elemsAt(src []byte, at int) []field {
	sc := &scanner{s: src, i: at + 1}
	var out []field
	for {
		sc.ws()
		if sc.s[sc.i] == ']' {
			return out
		}
		if sc.s[sc.i] == ',' {
			sc.i++
			sc.ws()
		}
		vs := sc.i
		_ = sc.value()
		out = append(out, field{raw: src[vs:sc.i], pos: vs})
	}
}

// isNull reports whether a raw value is JSON null.
func isNull(raw []byte) bool { return string(raw) == "null" }

func asString(f field) (string, error) {
	if isNull(f.raw) {
		return "", nil
	}
	if f.raw[0] != '"' {
		return "", &mismatchError{pos: f.pos, goType: "string"}
	}
	var s string
	if err := json.Unmarshal(f.raw, &s); err != nil {
		// Like the server's decoder, keep an undecodable string's raw text.
		return string(f.raw[1 : len(f.raw)-1]), nil //nolint:nilerr // see above
	}
	return s, nil
}

func asFloat(f field) (float64, error) {
	if isNull(f.raw) {
		return 0, nil
	}
	v, err := strconv.ParseFloat(string(f.raw), 64)
	if err != nil {
		return 0, &mismatchError{pos: f.pos, goType: "float64"}
	}
	return v, nil
}

func asInt(f field) (int64, error) {
	if isNull(f.raw) {
		return 0, nil
	}
	v, err := strconv.ParseInt(string(f.raw), 10, 64)
	if err != nil {
		return 0, &mismatchError{pos: f.pos, goType: "int"}
	}
	return v, nil
}

// asBool decodes a bool; null yields nil, as for a *bool field.
func asBool(f field) (*bool, error) {
	switch string(f.raw) {
	case "null":
		return nil, nil
	case "true", "false":
		b := string(f.raw) == "true"
		return &b, nil
	}
	return nil, &mismatchError{pos: f.pos, goType: "bool"}
}

// asStrings decodes an array of strings; goType names the list type for errors.
func asStrings(src []byte, f field, goType string) ([]string, error) {
	if isNull(f.raw) {
		return nil, nil
	}
	if f.raw[0] != '[' {
		return nil, &mismatchError{pos: f.pos, goType: goType}
	}
	out := []string{}
	for _, e := range elemsAt(src, f.pos) {
		s, err := asString(e)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// asObject returns the members of an object value, or nil for null.
func asObject(src []byte, f field, goType string) ([]field, bool, error) {
	if isNull(f.raw) {
		return nil, false, nil
	}
	if f.raw[0] != '{' {
		return nil, false, &mismatchError{pos: f.pos, goType: goType}
	}
	return fieldsAt(src, f.pos), true, nil
}

// lookup finds a member by name the way encoding/json and sonic match struct
// fields: an exact match wins, otherwise a case-insensitive one; the last
// duplicate wins.
func lookup(fields []field, name string) (field, bool) {
	var found field
	ok := false
	for _, f := range fields {
		if f.name == name {
			found, ok = f, true
		}
	}
	if ok {
		return found, true
	}
	for _, f := range fields {
		if strings.EqualFold(f.name, name) {
			found, ok = f, true
		}
	}
	return found, ok
}

// known reports whether a member name matches one of names (case-insensitively).
func known(name string, names []string) bool {
	for _, n := range names {
		if strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}
