package bifrost

import (
	"encoding/json"
	"reflect"
	"strings"
)

// Some of Bifrost's objects are replaced whole by a PUT, so the members this
// client does not model (those of a newer server) are kept in an Extra map
// and sent back as read. These helpers do that for any struct whose JSON
// layout is given by its field tags.

// jsonNames returns the JSON member names of T's fields, with more.
func jsonNames[T any](more ...string) map[string]bool {
	names := map[string]bool{}
	for _, n := range more {
		names[n] = true
	}
	t := reflect.TypeFor[T]()
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); name != "-" && name != "" {
			names[name] = true
		}
	}
	return names
}

// marshalWithExtra encodes v (a struct) and adds the members of extra that
// known does not name.
func marshalWithExtra(v any, extra map[string]json.RawMessage, known map[string]bool) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || len(extra) == 0 {
		return b, err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		return nil, err
	}
	for name, raw := range extra {
		if !known[name] {
			fields[name] = raw
		}
	}
	return json.Marshal(fields)
}

// unknownMembers returns the members of the JSON object b that known does
// not name (nil when there are none).
func unknownMembers(b []byte, known map[string]bool) (map[string]json.RawMessage, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		return nil, err
	}
	var extra map[string]json.RawMessage
	for name, raw := range fields {
		if !known[name] {
			if extra == nil {
				extra = map[string]json.RawMessage{}
			}
			extra[name] = raw
		}
	}
	return extra, nil
}
