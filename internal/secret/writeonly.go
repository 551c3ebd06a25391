package secret

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/providerdata"
)

// Write-only secrets of nested blocks and nested attributes.
//
// A secret attribute X of a block gets, from WriteOnlyAttributes, two
// companions: X_wo (write-only: in the configuration, never in the plan or
// state) and X_wo_version (a change of it sends X_wo again). The resource's
// model holds the three as fields tagged X, X_wo and X_wo_version; the
// functions below find them by those tags, so a new secret attribute gets
// the whole life cycle (send from the configuration, keep out of state,
// detect an out-of-band rotation) by calling WriteOnlyAttributes and adding
// the two fields to its block's model:
//
//   - before a write, FromConfig copies each configured X_wo into X of the
//     model the request is built from;
//   - after the write and on every read, KeepWriteOnly keeps X null and
//     X_wo_version as Terraform knew it for each write-only secret;
//   - after a write, RecordFingerprints keeps in private state a fingerprint
//     of what the server answered for each one; on read, CheckFingerprints
//     nulls X_wo_version of those whose answer no longer matches, so that
//     the plan shows the drift and writes X_wo again.
//
// Only attributes below the root are handled here: a root-level pair (value
// and value_wo of bifrost_provider_key) is the resource's own.

// Suffixes of the companions of a secret attribute.
const (
	WriteOnlySuffix = "_wo"
	VersionSuffix   = "_wo_version"
)

// fingerprintPrefix starts the private state key of the fingerprint of a
// write-only secret, followed by the attribute's path.
const fingerprintPrefix = "wo_fingerprint:"

// WriteOnlyAttributes returns a secret attribute of a nested block or
// nested attribute, named name, with its write-only form: name itself
// (plain, made to conflict with name_wo, and Computed so that a null in the
// configuration can keep what Bifrost holds, see PlanUnmanaged; its description is left as is, so
// that the data sources that derive theirs from it are unchanged), name_wo
// (write-only, with plain's validators) and name_wo_version. detection tells, for the description of
// name_wo, whether and how a change made outside Terraform is seen.
func WriteOnlyAttributes(name string, plain schema.StringAttribute, detection string) map[string]schema.Attribute {
	wo, version := name+WriteOnlySuffix, name+VersionSuffix
	sibling := func(n string) path.Expression { return path.MatchRelative().AtParent().AtName(n) }
	woValidators := append([]validator.String{}, plain.Validators...)
	plain.Validators = append(append([]validator.String{}, plain.Validators...), stringvalidator.ConflictsWith(sibling(wo)))
	plain.Computed = true // null in the configuration: left to Bifrost (see PlanUnmanaged)
	return map[string]schema.Attribute{
		name: plain,
		wo: schema.StringAttribute{
			MarkdownDescription: "Write-only alternative to `" + name + "` (Terraform ≥ 1.11): sent to Bifrost but never stored in the plan or state. " +
				"Conflicts with `" + name + "`. Change `" + version + "` to write a new value. " + detection,
			Optional:   true,
			Sensitive:  true,
			WriteOnly:  true,
			Validators: append(woValidators, stringvalidator.AlsoRequires(sibling(version))),
		},
		version: schema.Int64Attribute{
			MarkdownDescription: "Version of `" + wo + "`; change it to send a new `" + wo + "` to Bifrost.",
			Optional:            true,
			Validators:          []validator.Int64{int64validator.AlsoRequires(sibling(wo))},
		},
	}
}

// Merge returns the union of attribute maps (later ones win).
func Merge(maps ...map[string]schema.Attribute) map[string]schema.Attribute {
	out := map[string]schema.Attribute{}
	for _, m := range maps {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// IsWriteOnlyCompanion reports whether an attribute name is the write-only
// form or the version of a secret attribute (data sources do not show them).
func IsWriteOnlyCompanion(name string) bool {
	return strings.HasSuffix(name, WriteOnlySuffix) || strings.HasSuffix(name, VersionSuffix)
}

// field is one secret attribute with a write-only form in a model.
type field struct {
	path    path.Path // of the plain attribute
	plain   *types.String
	wo      *types.String
	version *types.Int64
}

func (f field) woPath() path.Path {
	return f.path.ParentPath().AtName(lastName(f.path) + WriteOnlySuffix)
}

func lastName(p path.Path) string {
	last, _ := p.Steps().LastStep()
	if a, ok := last.(path.PathStepAttributeName); ok {
		return string(a)
	}
	return ""
}

var (
	stringType = reflect.TypeOf(types.String{})
	int64Type  = reflect.TypeOf(types.Int64{})
)

// fields lists the secret attributes with a write-only form of the nested
// blocks (non-nil pointers to structs) of model, a pointer to a struct.
func fields(model any) []field {
	v := reflect.ValueOf(model)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return nil
	}
	var out []field
	walk(v.Elem(), path.Empty(), false, &out)
	return out
}

func walk(v reflect.Value, parent path.Path, nested bool, out *[]field) {
	t := v.Type()
	byTag := map[string]reflect.Value{}
	for i := range t.NumField() {
		sf, fv := t.Field(i), v.Field(i)
		tag := sf.Tag.Get("tfsdk")
		switch {
		case sf.Anonymous && fv.Kind() == reflect.Struct:
			walk(fv, parent, nested, out)
		case tag == "" || tag == "-":
		case fv.Kind() == reflect.Pointer && fv.Type().Elem().Kind() == reflect.Struct:
			if !fv.IsNil() {
				walk(fv.Elem(), parent.AtName(tag), true, out)
			}
		default:
			byTag[tag] = fv
		}
	}
	if !nested {
		return
	}
	// In declaration order, so that diagnostics and private state writes
	// come out the same on every run.
	for i := range t.NumField() {
		tag := t.Field(i).Tag.Get("tfsdk")
		fv := byTag[tag]
		name, ok := strings.CutSuffix(tag, WriteOnlySuffix)
		if !fv.IsValid() {
			continue
		}
		if !ok || fv.Type() != stringType {
			continue
		}
		plain, version := byTag[name], byTag[name+VersionSuffix]
		if !plain.IsValid() || plain.Type() != stringType || !version.IsValid() || version.Type() != int64Type {
			continue
		}
		p, okP := plain.Addr().Interface().(*types.String)
		w, okW := fv.Addr().Interface().(*types.String)
		ver, okV := version.Addr().Interface().(*types.Int64)
		if okP && okW && okV {
			*out = append(*out, field{path: parent.AtName(name), plain: p, wo: w, version: ver})
		}
	}
}

// FromConfig copies into model (a pointer to the planned model, from which
// the request is built) every write-only secret the configuration sets:
// write-only values are never in the plan. It returns the paths of the
// plain attributes it set.
func FromConfig(ctx context.Context, config tfsdk.Config, model any) ([]path.Path, diag.Diagnostics) {
	var diags diag.Diagnostics
	var set []path.Path
	for _, f := range fields(model) {
		var wo types.String
		diags.Append(config.GetAttribute(ctx, f.woPath(), &wo)...)
		if wo.IsNull() || wo.IsUnknown() {
			continue
		}
		*f.plain = wo
		set = append(set, f.path)
	}
	return set, diags
}

// KeepWriteOnly fixes the write-only secrets of a model built from the
// server's answer (m, a pointer) from what Terraform knew before (prior, a
// pointer to a model of the same type): X_wo is null, X_wo_version is
// prior's, and X is null when X_wo_version is set or X was just written from
// X_wo (written, from FromConfig): the server's answer (a mask) must not
// become the state of a secret configured write-only.
func KeepWriteOnly(prior, m any, written []path.Path) {
	known := map[string]field{}
	for _, f := range fields(prior) {
		known[f.path.String()] = f
	}
	fromWO := map[string]bool{}
	for _, p := range written {
		fromWO[p.String()] = true
	}
	for _, f := range fields(m) {
		*f.wo = types.StringNull()
		*f.version = types.Int64Null()
		if p, ok := known[f.path.String()]; ok {
			*f.version = *p.version
		}
		if !f.version.IsNull() || fromWO[f.path.String()] {
			*f.plain = types.StringNull()
		}
	}
}

func fingerprintKey(p path.Path) string { return fingerprintPrefix + p.String() }

// RecordFingerprints keeps, in private state, the fingerprint of the
// server's answer (answer: the wire struct the server returned, e.g.
// *bifrost.Key) for each write-only secret of the state m (a pointer), and
// removes it for the others.
func RecordFingerprints(ctx context.Context, private providerdata.PrivateState, m any, answer any) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, f := range fields(m) {
		var fp []byte
		if !f.version.IsNull() {
			fp, _ = json.Marshal(Fingerprint(At(answer, f.path)))
		}
		diags.Append(private.SetKey(ctx, fingerprintKey(f.path), fp)...)
	}
	return diags
}

// CheckFingerprints compares the server's answer with the fingerprints
// RecordFingerprints kept, for each write-only secret of the state m (a
// pointer), and nulls X_wo_version in m for those that changed outside
// Terraform (so that the plan writes X_wo again). It returns their paths.
func CheckFingerprints(ctx context.Context, private providerdata.PrivateState, m any, answer any) ([]path.Path, diag.Diagnostics) {
	var diags diag.Diagnostics
	var drifted []path.Path
	for _, f := range fields(m) {
		if f.version.IsNull() {
			continue
		}
		b, d := private.GetKey(ctx, fingerprintKey(f.path))
		diags.Append(d...)
		var want string
		if len(b) == 0 || json.Unmarshal(b, &want) != nil || want == Fingerprint(At(answer, f.path)) {
			continue
		}
		*f.version = types.Int64Null()
		drifted = append(drifted, f.path)
	}
	return drifted, diags
}

var secretVarType = reflect.TypeOf(bifrost.SecretVar{})

// At returns the secret at path p (attribute names, the JSON names of the
// wire struct) of a server answer (a struct or a pointer to one); the zero
// SecretVar when absent.
func At(answer any, p path.Path) bifrost.SecretVar {
	v := reflect.ValueOf(answer)
	for _, step := range p.Steps() {
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return bifrost.SecretVar{}
			}
			v = v.Elem()
		}
		name, ok := step.(path.PathStepAttributeName)
		if !ok || v.Kind() != reflect.Struct {
			return bifrost.SecretVar{}
		}
		v = jsonField(v, string(name))
		if !v.IsValid() {
			return bifrost.SecretVar{}
		}
	}
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return bifrost.SecretVar{}
		}
		v = v.Elem()
	}
	if v.Type() != secretVarType {
		return bifrost.SecretVar{}
	}
	got, _ := v.Interface().(bifrost.SecretVar)
	return got
}

func jsonField(v reflect.Value, name string) reflect.Value {
	t := v.Type()
	for i := range t.NumField() {
		tag, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if tag == name {
			return v.Field(i)
		}
	}
	return reflect.Value{}
}
