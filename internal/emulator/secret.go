package emulator

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

// secret is a stored EnvVar (v1.5) or SecretVar (v2) field. References are
// kept as references and resolved against Options.Env each time a response is
// built, so changing the environment changes what the server reports.
type secret struct {
	val     string // literal value, or the value sent next to a reference
	ref     string // v1.5 env_var, v2 ref
	fromEnv bool   // v1.5 from_env
	typ     string // v2 type; "" when the field was never sent
}

const (
	typePlain = "plain_text"
	typeEnv   = "env"
	typeVault = "vault"
)

// parseSecretV1 decodes an EnvVar the way Bifrost v1.5 does: a plain string,
// an "env." reference, or an object carrying both "value" and "env_var";
// anything else is a literal holding the raw JSON text.
func parseSecretV1(raw []byte) secret {
	val := string(raw)
	if u, err := strconv.Unquote(val); err == nil {
		val = u
	}
	if raw[0] == '{' {
		var probe map[string]json.RawMessage
		_ = json.Unmarshal(raw, &probe)
		_, hasValue := probe["value"]
		_, hasEnv := probe["env_var"]
		var o struct {
			Val     string `json:"value"`
			EnvVar  string `json:"env_var"`
			FromEnv bool   `json:"from_env"`
		}
		if hasValue && hasEnv && json.Unmarshal(raw, &o) == nil {
			s := secret{val: o.Val, ref: o.EnvVar, fromEnv: o.FromEnv}
			if strings.HasPrefix(o.Val, "env.") && o.Val == o.EnvVar {
				s.val, s.fromEnv = "", true
			}
			return s
		}
	}
	if strings.HasPrefix(val, "env.") {
		return secret{ref: val, fromEnv: true}
	}
	return secret{val: val}
}

// parseSecretV2 decodes a SecretVar: plain strings, "env." and "vault."
// references, the {value, ref, type} object and the legacy {env_var, from_env}
// object.
func parseSecretV2(raw []byte) secret {
	val := string(raw)
	if u, err := strconv.Unquote(val); err == nil {
		val = u
	}
	if t := bytes.TrimSpace(raw); len(t) > 0 && t[0] == '{' {
		var o struct {
			Val     string `json:"value"`
			Ref     string `json:"ref"`
			Type    string `json:"type"`
			EnvVar  string `json:"env_var"`
			FromEnv bool   `json:"from_env"`
		}
		if json.Unmarshal(raw, &o) == nil {
			s := secret{val: o.Val}
			switch {
			case o.Type != "":
				s.ref, s.typ = o.Ref, o.Type
			case o.Ref != "":
				s.ref, s.typ = o.Ref, refType(o.Ref)
			case o.FromEnv && o.EnvVar != "":
				s.ref, s.typ = o.EnvVar, typeEnv
				if !strings.HasPrefix(s.ref, "env.") {
					s.ref = "env." + s.ref
				}
			case strings.HasPrefix(o.Val, "env.") && o.Val == o.EnvVar:
				s.ref, s.typ, s.val = o.EnvVar, typeEnv, ""
			default:
				s.typ = typePlain
			}
			return s
		}
	}
	switch t := refType(val); t {
	case typeEnv, typeVault:
		return secret{ref: val, typ: t}
	}
	return secret{val: val, typ: typePlain}
}

func refType(ref string) string {
	switch {
	case strings.HasPrefix(ref, "vault."):
		return typeVault
	case strings.HasPrefix(ref, "env."):
		return typeEnv
	}
	return typePlain
}

// backed reports whether the value comes from a reference (env, or vault in v2).
func (s secret) backed() bool {
	return (s.fromEnv && strings.HasPrefix(s.ref, "env.")) || s.typ == typeEnv || s.typ == typeVault
}

// resolve returns the value the server would use. env references read
// Options.Env by name; vault references read the Options.Env entry named by
// the whole reference ("vault.path/to/secret"), there being no vault.
func (s secret) resolve(env map[string]string) string {
	switch {
	case s.typ == typeEnv:
		return env[strings.TrimPrefix(s.ref, "env.")]
	case s.typ == typeVault:
		return env[s.ref]
	case s.fromEnv && strings.HasPrefix(s.ref, "env."):
		return env[s.ref[len("env."):]]
	}
	return s.val
}

// stored is what Bifrost's database column holds: the reference for
// env/vault-backed values, the literal otherwise.
func (s secret) stored() string {
	if s.backed() {
		return s.ref
	}
	return s.val
}

// shown is the secret as a response shows it: its resolved value, masked
// unless inClear is set (and the value is not reference-backed).
func (s secret) shown(env map[string]string, inClear bool) secret {
	out := s
	out.val = s.resolve(env)
	if !inClear || s.backed() {
		out.val = bifrost.Mask(out.val)
	}
	return out
}

// wire renders a shown secret in the version's JSON shape.
func (s secret) wire(v2 bool) object {
	if !v2 {
		return object{{"value", s.val}, {"env_var", s.ref}, {"from_env", s.fromEnv}}
	}
	o := object{{"value", s.val}}
	if s.ref != "" {
		o = append(o, kv{"ref", s.ref})
	}
	if s.typ != "" {
		o = append(o, kv{"type", s.typ})
	}
	return o
}

// keepStored decides whether an incoming value echoed on PUT stands for the
// stored one. v1.5 requires a redacted-looking (or env-backed) value exactly
// equal to the current redaction; v2 accepts any redacted-looking literal.
func keepStored(in, current secret, env map[string]string, inClear, v2 bool) bool {
	if v2 {
		return !in.backed() && in.val != "" && bifrost.LooksRedacted(in.val)
	}
	redactedLooking := in.fromEnv || bifrost.LooksRedacted(in.val)
	return redactedLooking && in == current.shown(env, inClear)
}
