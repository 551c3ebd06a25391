package secret

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

// Secrets Terraform does not manage.
//
// Terraform never writes a sensitive value into a generated configuration
// (`terraform plan -generate-config-out`, `terraform query
// -generate-config-out`): the secrets of an adopted resource come out as
// null. So a secret attribute that the configuration leaves null, together
// with its write-only form, is not managed by Terraform: its plan keeps what
// the state holds (the reference or mask Bifrost showed, or null), the
// resource keeps whatever Bifrost holds, and a plan says so in a warning.
// Bifrost replaces a whole object on update, so a write must send the
// secret: a plan that writes while a secret is known only as a mask (or
// placeholder) is refused, naming the attribute to set, because a mask sent
// back could be stored as the secret itself (Bifrost v1.5).
//
// The plain attribute of each secret is Optional and Computed for this
// (WriteOnlyAttributes makes it so; a root-level pair declares it itself).

// PlainPaths lists the string secret attributes of s that have a
// write-only form (an attribute name with a sibling name_wo), at the root,
// in single nested blocks and in single nested attributes. A map of
// secrets (headers) is a whole that the configuration sets or leaves out:
// not here.
func PlainPaths(s schema.Schema) []*tftypes.AttributePath {
	var out []*tftypes.AttributePath
	collect(tftypes.NewAttributePath(), s.Attributes, s.Blocks, &out)
	return out
}

func collect(parent *tftypes.AttributePath, attrs map[string]schema.Attribute, blocks map[string]schema.Block, out *[]*tftypes.AttributePath) {
	for _, name := range sortedKeys(attrs) {
		_, isString := attrs[name].(schema.StringAttribute)
		if _, ok := attrs[name+WriteOnlySuffix]; ok && isString {
			*out = append(*out, parent.WithAttributeName(name))
		}
		if n, ok := attrs[name].(schema.SingleNestedAttribute); ok {
			collect(parent.WithAttributeName(name), n.Attributes, nil, out)
		}
	}
	for _, name := range sortedKeys(blocks) {
		if b, ok := blocks[name].(schema.SingleNestedBlock); ok {
			collect(parent.WithAttributeName(name), b.Attributes, b.Blocks, out)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// Unmanaged is a secret the configuration leaves to Bifrost.
type Unmanaged struct {
	Path *tftypes.AttributePath
	// Prior is the state's value ("" when null): a reference, a mask, a
	// placeholder, or (when Terraform managed it before) the secret.
	Prior string
	// Held is whether the state holds a value for it.
	Held bool
}

// PlanUnmanaged plans each secret of paths that the configuration leaves
// null, with its write-only form, as the prior state's value (null on
// create), and returns the new plan and those secrets; a secret written from
// its write-only form is planned null. prior is null on create. A secret
// whose block is null in the configuration is left to the plan as it is.
func PlanUnmanaged(prior, config, plan tftypes.Value, paths []*tftypes.AttributePath) (tftypes.Value, []Unmanaged, error) {
	if plan.IsNull() || !plan.IsKnown() {
		return plan, nil, nil
	}
	set := map[string]tftypes.Value{}
	var out []Unmanaged
	for _, p := range paths {
		v, ok := at(config, p)
		if !ok || !v.IsKnown() || !v.IsNull() {
			continue
		}
		if wo, ok := at(config, woPathOf(p)); ok && (!wo.IsKnown() || !wo.IsNull()) {
			// Written from the write-only form: never in the plan.
			set[p.String()] = tftypes.NewValue(tftypes.String, nil)
			continue
		}
		before, ok := at(prior, p)
		if !ok || !before.IsKnown() {
			before = tftypes.NewValue(tftypes.String, nil)
		}
		u := Unmanaged{Path: p, Held: !before.IsNull()}
		if u.Held {
			if err := before.As(&u.Prior); err != nil {
				return plan, nil, err
			}
		}
		set[p.String()] = before
		out = append(out, u)
	}
	if len(set) == 0 {
		return plan, nil, nil
	}
	next, err := tftypes.Transform(plan, func(p *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if nv, ok := set[p.String()]; ok {
			return nv, nil
		}
		return v, nil
	})
	return next, out, err
}

// woPathOf is the path of the write-only form of the attribute at p; p
// itself when p does not end in an attribute name.
func woPathOf(p *tftypes.AttributePath) *tftypes.AttributePath {
	steps := p.Steps()
	if len(steps) == 0 {
		return p
	}
	last, ok := steps[len(steps)-1].(tftypes.AttributeName)
	if !ok {
		return p
	}
	return tftypes.NewAttributePathWithSteps(append(append([]tftypes.AttributePathStep{}, steps[:len(steps)-1]...), last+WriteOnlySuffix))
}

// at returns the value at p in v, ok false when v or a step on the way is
// null, unknown or missing.
func at(v tftypes.Value, p *tftypes.AttributePath) (tftypes.Value, bool) {
	for _, step := range p.Steps() {
		name, isName := step.(tftypes.AttributeName)
		if !isName || v.IsNull() || !v.IsKnown() || !v.Type().Is(tftypes.Object{}) {
			return tftypes.Value{}, false
		}
		var attrs map[string]tftypes.Value
		if err := v.As(&attrs); err != nil {
			return tftypes.Value{}, false
		}
		if v, isName = attrs[string(name)]; !isName {
			return tftypes.Value{}, false
		}
	}
	return v, true
}

// WarnUnmanaged says, for each secret left to Bifrost that the state holds,
// that Terraform does not manage it; what names the object ("this key").
func WarnUnmanaged(diags *diag.Diagnostics, unmanaged []Unmanaged, what string) {
	for _, u := range unmanaged {
		if !u.Held {
			continue
		}
		name := Path(u.Path).String()
		diags.AddAttributeWarning(Path(u.Path), "Secret not managed by Terraform",
			fmt.Sprintf("The configuration sets neither %[1]s nor %[1]s%[2]s, so Terraform leaves the secret of %[3]s as Bifrost holds it "+
				"and does not track it (as in a configuration generated by Terraform, which never writes sensitive values). "+
				"A change of %[3]s needs the secret only if Terraform knows it as a mask: set %[1]s, or %[1]s%[2]s with %[1]s%[4]s, "+
				"to manage it.", name, WriteOnlySuffix, what, VersionSuffix))
	}
}

// RefuseMaskedWrite refuses a plan that writes (prior is not null and plan
// differs from it) while a string of plan is a mask or placeholder, which
// the write would have to send back: Terraform knows that value only as
// Bifrost shows it. Each such attribute gets an error naming it.
func RefuseMaskedWrite(diags *diag.Diagnostics, prior, plan tftypes.Value, what string) {
	if prior.IsNull() || plan.IsNull() || plan.Equal(prior) {
		return
	}
	type masked struct {
		path  *tftypes.AttributePath
		value string
	}
	var found []masked
	_ = tftypes.Walk(plan, func(p *tftypes.AttributePath, v tftypes.Value) (bool, error) {
		if !v.IsKnown() || v.IsNull() {
			return true, nil
		}
		if !v.Type().Is(tftypes.String) {
			// Secrets are object attributes; collections hold names and
			// patterns ("*" is every model, not a mask).
			return v.Type().Is(tftypes.Object{}), nil
		}
		var s string
		if v.As(&s) == nil && bifrost.LooksRedacted(s) {
			found = append(found, masked{p, s})
		}
		return true, nil
	})
	// Walk visits an object's attributes in map order: sort, so that the
	// diagnostics come in one order.
	slices.SortFunc(found, func(a, b masked) int { return strings.Compare(Path(a.path).String(), Path(b.path).String()) })
	for _, m := range found {
		name := Path(m.path).String()
		fix := "set " + name
		if wo, ok := at(plan, woPathOf(m.path)); ok && wo.Type().Is(tftypes.String) {
			fix += ", or " + name + WriteOnlySuffix + " with " + name + VersionSuffix + ","
		}
		diags.AddAttributeError(Path(m.path), "Secret known only by its mask",
			fmt.Sprintf("This plan changes %s, and Bifrost replaces the whole object on update, so the write must send %s, "+
				"which Terraform knows only as the mask Bifrost shows (%s, after an import or from a generated configuration). "+
				"Sending a mask back could store it as the secret itself: %s to the real value or to an env.NAME reference, "+
				"or leave %s unchanged.", what, name, maskShape(m.value), fix, what))
	}
}

// maskShape describes a mask without repeating it.
func maskShape(s string) string {
	if bifrost.IsPlaceholder(s) {
		return "a placeholder"
	}
	return "a mask of " + fmt.Sprint(len(s)) + " characters"
}

// Path converts an attribute path of names to the framework's path.
func Path(p *tftypes.AttributePath) path.Path {
	out := path.Empty()
	for _, step := range p.Steps() {
		if name, ok := step.(tftypes.AttributeName); ok {
			out = out.AtName(string(name))
		}
	}
	return out
}
