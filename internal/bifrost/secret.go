package bifrost

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Reference prefixes that make Bifrost resolve a secret itself instead of
// storing it literally.
const (
	EnvPrefix   = "env."
	VaultPrefix = "vault."
)

// SecretVar is one secret-wrapper field of the Bifrost API (EnvVar in v1.5,
// SecretVar in v1.6+). In requests it is written as a plain string, the one
// form every server version accepts: the literal, or the reference
// ("env.NAME", "vault.path"). Responses come in either shape:
//
//	v1.5:  {"value": "<redacted>", "env_var": "env.NAME", "from_env": true}
//	v1.6+: {"value": "<redacted>", "ref": "env.NAME", "type": "env"}
//
// and both decode to the same fields.
type SecretVar struct {
	// Value is the literal sent by the client or, in a response, the
	// redacted (or, for env references, redacted resolved) value.
	Value string
	// Ref is the reference ("env.NAME" or "vault.path"), empty for literals.
	Ref string
	// FromEnv reports whether the server resolves the value from a reference.
	FromEnv bool
}

// Literal returns a SecretVar holding a literal value, or a reference when s
// starts with "env." or "vault." (as the server would read it).
func Literal(s string) SecretVar {
	if IsReference(s) {
		return SecretVar{Ref: s, FromEnv: true}
	}
	return SecretVar{Value: s}
}

// IsReference reports whether s is a secret reference the server resolves.
func IsReference(s string) bool {
	return strings.HasPrefix(s, EnvPrefix) || strings.HasPrefix(s, VaultPrefix)
}

// Input is the string form sent to the server.
func (s SecretVar) Input() string {
	if s.Ref != "" {
		return s.Ref
	}
	return s.Value
}

// MarshalJSON writes the input form (a plain string).
func (s SecretVar) MarshalJSON() ([]byte, error) {
	return json.Marshal(s.Input())
}

// UnmarshalJSON reads a plain string or either object shape.
func (s *SecretVar) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*s = SecretVar{}
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return err
		}
		*s = Literal(str)
		return nil
	}
	var wire struct {
		Value   string `json:"value"`
		EnvVar  string `json:"env_var"`
		FromEnv bool   `json:"from_env"`
		Ref     string `json:"ref"`
		Type    string `json:"type"`
	}
	if err := json.Unmarshal(b, &wire); err != nil {
		return fmt.Errorf("secret field: %w", err)
	}
	*s = SecretVar{Value: wire.Value, Ref: wire.Ref, FromEnv: wire.FromEnv}
	if s.Ref == "" {
		s.Ref = wire.EnvVar
	}
	if wire.Type != "" && wire.Type != "plain_text" {
		s.FromEnv = true
	}
	return nil
}
