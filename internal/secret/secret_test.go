package secret_test

import (
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/secret"
)

const (
	lit     = "sk-live-0123456789abcdef"
	rotated = "sk-rotated-9876543210zz"
	apiVer  = "2024-10-21"
)

var (
	litMask     = bifrost.Mask(lit)     // sk-l************************cdef
	rotatedMask = bifrost.Mask(rotated) // sk-r************************10zz
)

// Answers in the two wire shapes: v1.5 EnvVar and v2 SecretVar.
func v15(value, envVar string, fromEnv bool) string {
	b, _ := json.Marshal(map[string]any{"value": value, "env_var": envVar, "from_env": fromEnv})
	return string(b)
}

func v2(value, ref, typ string) string {
	b, _ := json.Marshal(map[string]any{"value": value, "ref": ref, "type": typ})
	return string(b)
}

// decode reads a server answer; "" stands for a field the server omitted.
func decode(t *testing.T, wire string) *bifrost.SecretVar {
	t.Helper()
	if wire == "" {
		return nil
	}
	var got bifrost.SecretVar
	if err := json.Unmarshal([]byte(wire), &got); err != nil {
		t.Fatalf("decoding %s: %v", wire, err)
	}
	return &got
}

func str(s string) types.String { return types.StringValue(s) }

var null = types.StringNull()

func TestState(t *testing.T) {
	unknown := types.StringUnknown()
	for _, tc := range []struct {
		name    string
		known   types.String
		wire    string
		inClear bool
		want    types.String
	}{
		// A literal answered as itself.
		{"v1.5 literal in clear, same", str(lit), v15(lit, "", false), false, str(lit)},
		{"v2 literal in clear, same", str(lit), v2(lit, "", "plain_text"), false, str(lit)},
		{"literal in clear, changed", str(lit), v2(rotated, "", "plain_text"), false, str(rotated)},

		// A literal answered as its mask.
		{"v1.5 mask of the known literal", str(lit), v15(litMask, "", false), false, str(lit)},
		{"v2 mask of the known literal", str(lit), v2(litMask, "", "plain_text"), false, str(lit)},
		{"short literal, all stars", str("abcdefgh"), v2("********", "", "plain_text"), false, str("abcdefgh")},
		{"v1.5 env_var left next to a literal", str(lit), v15(litMask, "env.K", false), false, str(lit)},

		// Out-of-band rotation: the mask becomes the state, the plan shows a diff.
		{"v1.5 mask mismatch", str(lit), v15(rotatedMask, "", false), false, str(rotatedMask)},
		{"v2 mask mismatch", str(lit), v2(rotatedMask, "", "plain_text"), false, str(rotatedMask)},

		// References.
		{"v1.5 env reference, same", str("env.K"), v15(litMask, "env.K", true), false, str("env.K")},
		{"v2 env reference, same", str("env.K"), v2(litMask, "env.K", "env"), false, str("env.K")},
		{"v2 vault reference, same", str("vault.kv/k"), v2("", "vault.kv/k", "vault"), false, str("vault.kv/k")},
		{"plain-string reference, same", str("env.K"), `"env.K"`, false, str("env.K")},
		{"v1.5 reference switched", str("env.K"), v15(litMask, "env.J", true), false, str("env.J")},
		{"v2 reference switched", str("env.K"), v2(litMask, "vault.kv/k", "vault"), false, str("vault.kv/k")},
		{"literal switched to a reference", str(lit), v2(litMask, "env.K", "env"), false, str("env.K")},
		{"reference switched to a literal", str("env.K"), v15(litMask, "", false), false, str(litMask)},
		{"known reference, never matched through a mask", str("env.K"), v2(bifrost.Mask("env.K"), "", "plain_text"), false, str("*****")},

		// Placeholders tell nothing: the known literal stays; with nothing known, the placeholder.
		{"v2 <REDACTED>", str(lit), v2("<REDACTED>", "", "plain_text"), false, str(lit)},
		{"v1.5 <REDACTED>", str(lit), v15("<REDACTED>", "", false), false, str(lit)},
		{"[REDACTED]", str(lit), v2("[REDACTED]", "", "plain_text"), false, str(lit)},
		{"placeholder, any case", str(lit), v2("<Redacted>", "", "plain_text"), false, str(lit)},
		{"[redacted], any case", str(lit), v15("[redacted]", "", false), false, str(lit)},
		{"placeholder of a field in clear", str(apiVer), v2("<REDACTED>", "", "plain_text"), true, str(apiVer)},
		{"placeholder next to the same reference", str("env.PW"), v2("<REDACTED>", "env.PW", "env"), false, str("env.PW")},
		{"placeholder, import", null, v2("<REDACTED>", "", "plain_text"), false, str("<REDACTED>")},
		{"placeholder, unknown", unknown, v15("<REDACTED>", "", false), false, str("<REDACTED>")},
		{"placeholder after a switch from a reference", str("env.PW"), v2("<REDACTED>", "", "plain_text"), false, null},
		{"placeholder inside a value", str(lit), v2("x<REDACTED>", "", "plain_text"), false, str("x<REDACTED>")},

		// Fields the server answers in clear: the mask is a different value.
		{"in clear, same", str(apiVer), v15(apiVer, "", false), true, str(apiVer)},
		{"in clear, changed", str(apiVer), v2("2025-01-01", "", "plain_text"), true, str("2025-01-01")},
		{"in clear, answer equal to the mask", str(apiVer), v2(bifrost.Mask(apiVer), "", "plain_text"), true, str(bifrost.Mask(apiVer))},
		{"in clear, v1.5 reference", str("env.API_VERSION"), v15("", "env.API_VERSION", true), true, str("env.API_VERSION")},
		{"in clear, import", null, v2(apiVer, "", "plain_text"), true, str(apiVer)},

		// Empty answers: nothing stored.
		{"omitted, known literal", str(lit), "", false, null},
		{"omitted, import", null, "", false, null},
		{"null, known literal", str(lit), `null`, false, null},
		{"v1.5 empty, known literal", str(lit), v15("", "", false), false, null},
		{"v2 empty, known reference", str("env.K"), v2("", "", "plain_text"), false, null},
		{"empty, known empty", str(""), v2("", "", "plain_text"), false, str("")},
		{"empty, unknown", unknown, v15("", "", false), false, null},

		// Nothing known (import, data sources): the answer as shown.
		{"import, v1.5 mask", null, v15(litMask, "", false), false, str(litMask)},
		{"import, v2 mask", null, v2(litMask, "", "plain_text"), false, str(litMask)},
		{"import, v1.5 reference", null, v15(litMask, "env.K", true), false, str("env.K")},
		{"import, v2 reference", null, v2("", "vault.kv/k", "vault"), false, str("vault.kv/k")},
		{"unknown, mask", unknown, v2(litMask, "", "plain_text"), false, str(litMask)},
		{"unknown, reference", unknown, v2(litMask, "env.K", "env"), false, str("env.K")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			state := secret.State
			if tc.inClear {
				state = secret.StateInClear
			}
			if got := state(tc.known, decode(t, tc.wire)); !got.Equal(tc.want) {
				t.Errorf("known %s, answer %s: got %s, want %s", tc.known, tc.wire, got, tc.want)
			}
		})
	}
}

func TestFingerprint(t *testing.T) {
	const (
		litFP   = "mask-sha256:f3fc622bf86dca332a00958e7f8fcec4666e522495c6fda8e71790ee8886af86"
		emptyFP = "mask-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	)
	rotatedFP := secret.Fingerprint(*decode(t, v2(rotatedMask, "", "plain_text")))
	for _, tc := range []struct {
		name, wire, want string
	}{
		{"v1.5 mask", v15(litMask, "", false), litFP},
		{"v2 mask", v2(litMask, "", "plain_text"), litFP},
		{"v1.5 env_var left next to a literal", v15(litMask, "env.K", false), litFP},
		{"v1.5 reference", v15(litMask, "env.K", true), "ref:env.K"},
		{"v2 reference", v2(rotatedMask, "env.K", "env"), "ref:env.K"},
		{"v2 vault reference", v2("", "vault.kv/k", "vault"), "ref:vault.kv/k"},
		{"empty", v15("", "", false), emptyFP},
		{"rotated", v15(rotatedMask, "", false), rotatedFP},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := secret.Fingerprint(*decode(t, tc.wire)); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
	if rotatedFP == litFP {
		t.Error("a rotation does not change the fingerprint")
	}
}

// TestExpand: what is sent for a configured secret, and that State reads it
// back as configured when the server answers its mask or the reference.
func TestExpand(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   types.String
		want *bifrost.SecretVar
	}{
		{"null", types.StringNull(), nil},
		{"unknown", types.StringUnknown(), nil},
		{"empty literal", types.StringValue(""), &bifrost.SecretVar{}},
		{"literal", types.StringValue(lit), &bifrost.SecretVar{Value: lit}},
		{"env reference", types.StringValue("env.OPENAI_API_KEY"), &bifrost.SecretVar{Ref: "env.OPENAI_API_KEY", FromEnv: true}},
		{"vault reference", types.StringValue("vault.secret/openai"), &bifrost.SecretVar{Ref: "vault.secret/openai", FromEnv: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := secret.Expand(tc.in)
			if (got == nil) != (tc.want == nil) || got != nil && *got != *tc.want {
				t.Fatalf("Expand(%v) = %+v, want %+v", tc.in, got, tc.want)
			}
			if got == nil || got.Value == "" && got.Ref == "" {
				return
			}
			answer := *got
			if answer.Ref == "" {
				answer.Value = bifrost.Mask(answer.Value)
			}
			if back := secret.State(tc.in, &answer); !back.Equal(tc.in) {
				t.Errorf("State(%v, answer %+v) = %v: the configured secret does not survive the server's answer", tc.in, answer, back)
			}
		})
	}
}
