package emulator

import (
	"maps"
	"testing"
)

// sampleValues are tried in turn as a field's value until one decodes.
var sampleValues = []string{`"sample-0123456789"`, `true`, `2.5`, `["m1"]`, `{"m1":"m2"}`}

// answered decodes body as a key and returns the members the key answers,
// by name, as JSON.
func answered(s *Server, body string) (map[string]string, error) {
	k, err := s.parseKey([]byte(body))
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, m := range s.renderKey(k) {
		out[m.k] = string(enc(m.v))
	}
	return out, nil
}

// TestKeyFieldsRoundTrip sends every top-level key field of the table alone
// and checks that the answer shows it and nothing else changed: a field in
// the table that parseKey does not store, or renderKey does not show, fails.
func TestKeyFieldsRoundTrip(t *testing.T) {
	for _, version := range []string{"v1.5.1", "v2.2.6"} {
		s := New(Options{Version: version})
		unsent, err := answered(s, `{}`)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, kf := range s.knownKeyFields() {
			if seen[kf.name] {
				t.Errorf("%s: %s is in the table twice", version, kf.name)
			}
			seen[kf.name] = true
			var got map[string]string
			for _, v := range sampleValues {
				if got, err = answered(s, `{"`+kf.name+`":`+v+`}`); err == nil {
					break
				}
			}
			if got == nil {
				t.Errorf("%s: no sample value of %s decodes", version, kf.name)
				continue
			}
			if v, ok := got[kf.name]; !ok || v == unsent[kf.name] {
				t.Errorf("%s: %s sent, answered %v %q, as if unsent", version, kf.name, ok, v)
			}
			others, want := maps.Clone(got), maps.Clone(unsent)
			delete(others, kf.name)
			delete(want, kf.name)
			if !maps.Equal(others, want) {
				t.Errorf("%s: sending %s changed other members: %v, want %v", version, kf.name, others, want)
			}
		}
	}
}

// TestPlainField round-trips a plainField of every kind it may have, as
// TestKeyFieldsRoundTrip does for the table.
func TestPlainField(t *testing.T) {
	s := New(Options{Version: "v2.2.6"})
	for _, kd := range []kind{kString, kStringOmit, kBool, kBoolOmit, kStrings, kBuckets} {
		kf := plainField("x", kd, 0)
		unsent, _ := kf.render(s, &key{})
		k := &key{plain: map[string]any{}}
		decoded := false
		for _, v := range sampleValues {
			if kf.parse(s, []byte(v), field{raw: []byte(v)}, k) == nil {
				decoded = true
				break
			}
		}
		got, ok := kf.render(s, k)
		if !decoded || !ok || string(enc(got)) == string(enc(unsent)) {
			t.Errorf("kind %d: decoded %v, answered %v %s (unsent: %s)", kd, decoded, ok, enc(got), enc(unsent))
		}
	}
}
