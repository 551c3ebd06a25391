package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/tfvalidate"
)

// configType is the type of a plugin's config: a JSON object in a string,
// compared by meaning (key order, spacing and number spelling aside).
//
// It is not jsontypes.Normalized: that type's validation error quotes the
// value (config holds API keys), and it compares numbers by their spelling
// (1.0 differs from 1) while Bifrost stores the config as a Go
// map[string]any and answers 1 for 1.0. Here numbers compare as float64,
// exactly as the server sees them.
type configType struct{ basetypes.StringType }

var (
	_ basetypes.StringTypable                    = configType{}
	_ basetypes.StringValuableWithSemanticEquals = configValue{}
)

func (t configType) Equal(o attr.Type) bool {
	_, ok := o.(configType)
	return ok
}

func (t configType) String() string { return "plugin.configType" }

func (t configType) ValueFromString(_ context.Context, in basetypes.StringValue) (basetypes.StringValuable, diag.Diagnostics) {
	return configValue{StringValue: in}, nil
}

func (t configType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.StringType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	sv, ok := v.(basetypes.StringValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", v)
	}
	return configValue{StringValue: sv}, nil
}

func (t configType) ValueType(context.Context) attr.Value { return configValue{} }

// configValue is a value of configType.
type configValue struct{ basetypes.StringValue }

func configNull() configValue { return configValue{StringValue: basetypes.NewStringNull()} }

func configOf(s string) configValue { return configValue{StringValue: basetypes.NewStringValue(s)} }

func (v configValue) Type(context.Context) attr.Type { return configType{} }

func (v configValue) Equal(o attr.Value) bool {
	other, ok := o.(configValue)
	return ok && v.StringValue.Equal(other.StringValue)
}

// String describes the value without its content: the framework writes a
// value's String() to its TRACE log (calling SemanticEquals), and a config
// holds secrets.
func (v configValue) String() string {
	switch {
	case v.IsNull():
		return "<null>"
	case v.IsUnknown():
		return "<unknown>"
	}
	return "<sensitive plugin config>"
}

// StringSemanticEquals: the same JSON value once decoded (numbers as
// float64).
func (v configValue) StringSemanticEquals(_ context.Context, nv basetypes.StringValuable) (bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	other, ok := nv.(configValue)
	if !ok {
		return false, diags
	}
	return sameJSON(v.ValueString(), other.ValueString()), diags
}

// sameJSON reports whether a and b are valid JSON texts of the same value.
func sameJSON(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// objectValidator requires a JSON object (Bifrost decodes config into a
// map: anything else is a 400 "Invalid request body"). Its errors never
// quote the value: config holds secrets.
var objectValidator = tfvalidate.String("a JSON object", func(s string, p path.Path, diags *diag.Diagnostics) {
	var m map[string]any
	err := json.Unmarshal([]byte(s), &m)
	switch {
	case err != nil && !json.Valid([]byte(s)):
		diags.AddAttributeError(p, "Invalid plugin config",
			p.String()+" is not valid JSON (the value is not shown: it may hold secrets). Write it with jsonencode({ ... }).")
	case err != nil || m == nil:
		diags.AddAttributeError(p, "Invalid plugin config",
			fmt.Sprintf("%s is JSON but not an object (it is %s): Bifrost refuses anything but an object. Write it with jsonencode({ ... }).", p, jsonKind(s)))
	}
})

// jsonKind names the kind of a valid JSON text's value.
func jsonKind(s string) string {
	switch t := strings.TrimSpace(s); {
	case strings.HasPrefix(t, "["):
		return "an array"
	case strings.HasPrefix(t, `"`):
		return "a string"
	case t == "null":
		return "null"
	case t == "true" || t == "false":
		return "a boolean"
	}
	return "a number"
}

// keepEquivalent plans the prior config when the configuration says the
// same thing in other words (key order, spacing, 1.0 for 1): Terraform
// accepts the prior value for an equivalent one, and there is no change.
type keepEquivalent struct{}

func (keepEquivalent) Description(context.Context) string {
	return "keeps the stored config when the configured one means the same"
}

func (m keepEquivalent) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (keepEquivalent) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.StateValue.IsNull() || req.PlanValue.IsNull() || req.PlanValue.IsUnknown() || req.ConfigValue.IsUnknown() {
		return
	}
	if sameJSON(req.StateValue.ValueString(), req.PlanValue.ValueString()) {
		resp.PlanValue = req.StateValue
	}
}
