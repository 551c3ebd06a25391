// Package secret holds the one set of rules by which every resource and data
// source turns the server's answer for a secret-wrapper field
// (bifrost.SecretVar) into Terraform state, and the fingerprint that stands
// for a write-only secret in private state.
//
// Bifrost does not give a literal secret back: depending on the field and
// the server version it answers the value in clear, its mask (bifrost.Mask),
// or a placeholder hiding the whole value ("<REDACTED>"); a reference
// ("env.NAME", "vault.path") comes back as itself. The invariants:
//
//   - what Terraform last knew is kept while the answer is consistent with
//     it, so a masked secret never replaces the real one in state;
//   - an answer that contradicts it (a rotation or a switch of reference
//     outside Terraform) becomes the state, so the next plan shows the
//     difference;
//   - a placeholder becomes state only when nothing was known;
//   - the result is never unknown.
package secret

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

// Expand is the secret to send for a configured attribute: a literal or a
// reference (see bifrost.Literal), nil when the attribute is null or
// unknown. The reverse of State.
func Expand(v types.String) *bifrost.SecretVar {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	s := bifrost.Literal(v.ValueString())
	return &s
}

// State returns the state of a secret attribute the server may answer
// masked. known is the value Terraform last knew: the plan after a write,
// the state on refresh, null on import and in data sources. got is the
// server's answer, nil when the field was omitted. The rules:
//
//   - a reference in the answer: known when it is the same reference,
//     otherwise the answer's reference;
//   - a known literal answered in clear or as its mask: known;
//   - a placeholder: known when it is a literal; null after a switch from a
//     reference (the plan shows it); on import (nothing known) the
//     placeholder itself, which tells that Bifrost holds a secret that
//     Terraform cannot send back (see PlanUnmanaged);
//   - an empty answer: null (a known "" matches in clear and stays "");
//   - anything else (rotated mask, switch from a reference, import): the
//     answer itself.
func State(known types.String, got *bifrost.SecretVar) types.String {
	return state(known, got, false)
}

// StateInClear is State for a field the server always answers in clear
// (Azure api_version): only the value itself matches a known literal; an
// answer equal to its mask is a different value.
func StateInClear(known types.String, got *bifrost.SecretVar) types.String {
	return state(known, got, true)
}

func state(known types.String, got *bifrost.SecretVar, inClear bool) types.String {
	if got == nil {
		got = &bifrost.SecretVar{}
	}
	k := known.ValueString()
	isKnown := !known.IsNull() && !known.IsUnknown()
	if ref := reference(*got); ref != "" {
		if isKnown && k == ref {
			return known
		}
		return types.StringValue(ref)
	}
	v := got.Value
	literal := isKnown && !bifrost.IsReference(k)
	switch {
	case literal && (v == k || !inClear && v == bifrost.Mask(k)):
		return known
	case literal && bifrost.IsPlaceholder(v):
		return known
	case v == "" || bifrost.IsPlaceholder(v) && isKnown:
		return types.StringNull()
	}
	return types.StringValue(v)
}

// Fingerprint identifies what the server holds for a secret without storing
// it: "ref:" and the reference, or "mask-sha256:" and the hex SHA-256 of the
// answered value (the mask). It is kept in private state for value_wo, whose
// value Terraform never stores; a different fingerprint on a later read
// means the secret changed outside Terraform. Stored fingerprints depend on
// this format.
func Fingerprint(got bifrost.SecretVar) string {
	if ref := reference(got); ref != "" {
		return "ref:" + ref
	}
	sum := sha256.Sum256([]byte(got.Value))
	return "mask-sha256:" + hex.EncodeToString(sum[:])
}

// reference is the reference the server resolves the secret from, or "" for
// a literal. Only a from_env (v1.5) or env/vault type (v2) answer is one: a
// v1.5 env_var left next to a literal is not used by the server.
func reference(got bifrost.SecretVar) string {
	if got.FromEnv {
		return got.Ref
	}
	return ""
}
