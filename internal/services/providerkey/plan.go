package providerkey

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/defaults"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TypeName is the resource's type name.
const TypeName = "bifrost_provider_key"

// Plan answers Terraform's PlanResourceChange for a key being created or
// updated (or left as it is) without the framework, whose planning walks the
// schema once per attribute: about 2.5 ms of CPU per key and plan, 4 ms
// when nothing changed, against 0.1 to 0.3 ms here.
//
// It computes what the framework computes, in the framework's order, for
// this resource's schema:
//  1. the proposed new state, with the defaults of the attributes the
//     configuration leaves unset and write-only attributes null;
//  2. if that differs from the prior state, the computed attributes the
//     configuration leaves unset (and without a default) are unknown;
//  3. the attribute plan modifiers: UseStateForUnknown on id and
//     config_hash, RequiresReplace on provider_name, RequiresReplaceIfConfigured
//     on id (TestPlanModifiersKnownToPlan keeps that list exact);
//  4. ModifyPlan: value_env_var and value_from_env from the configured value.
//
// The identity and the private state pass through. It declines (false) and
// leaves the plan to the framework when that would take more than this:
// a destroy, a Bifrost ≥ 2.0 attribute (ModifyPlan then asks the server's
// version), a configured block or nested attribute with computed, default
// or write-only attributes inside. TestPlanMatchesFramework compares its
// answers with the framework's.
func Plan(req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, bool) {
	if req.TypeName != TypeName || req.PriorState == nil || req.ProposedNewState == nil || req.Config == nil {
		return nil, false
	}
	info, _, config, ok := fastConfig(req.Config)
	if v2, v1only := versionedAttributes(config); !ok || len(v2)+len(v1only) > 0 {
		return nil, false
	}
	proposedValue, err := req.ProposedNewState.Unmarshal(info.state)
	if err != nil || proposedValue.IsNull() || !proposedValue.IsKnown() {
		return nil, false
	}
	prior, err := req.PriorState.Unmarshal(info.state)
	if err != nil || !prior.IsKnown() {
		return nil, false
	}
	ref, refKnown, err := referenceOf(config)
	if err != nil {
		return nil, false
	}
	planned, err := objectAttrs(proposedValue)
	if err != nil {
		return nil, false
	}
	var priorAttrs map[string]tftypes.Value
	if !prior.IsNull() {
		if priorAttrs, err = objectAttrs(prior); err != nil {
			return nil, false
		}
	}

	// 1. Defaults and write-only attributes.
	for name, def := range info.defaults {
		if config[name].IsNull() {
			planned[name] = def
		}
	}
	info.nullWriteOnly(planned)
	// 2. Computed attributes left to the provider, when anything changes.
	if !tftypes.NewValue(info.state, planned).Equal(prior) {
		for _, name := range info.computed {
			if config[name].IsNull() {
				planned[name] = tftypes.NewValue(info.attrTypes[name], tftypes.UnknownValue)
			}
		}
	}
	// 3. Attribute plan modifiers (none acts on a create).
	var replace []*tftypes.AttributePath
	if !prior.IsNull() {
		for _, name := range []string{"config_hash", "id"} { // UseStateForUnknown
			if !planned[name].IsKnown() && config[name].IsKnown() {
				planned[name] = priorAttrs[name]
			}
		}
		if !planned["id"].Equal(priorAttrs["id"]) && !config["id"].IsNull() { // RequiresReplaceIfConfigured
			replace = append(replace, tftypes.NewAttributePath().WithAttributeName("id"))
		}
		if !planned["provider_name"].Equal(priorAttrs["provider_name"]) { // RequiresReplace
			replace = append(replace, tftypes.NewAttributePath().WithAttributeName("provider_name"))
		}
	}
	// 4. ModifyPlan.
	if refKnown {
		planned["value_env_var"] = tftypes.NewValue(tftypes.String, ref)
		planned["value_from_env"] = tftypes.NewValue(tftypes.Bool, ref != "")
	}

	plannedState, err := tfprotov6.NewDynamicValue(info.state, tftypes.NewValue(info.state, planned))
	if err != nil {
		return nil, false
	}
	identity := req.PriorIdentity
	if identity == nil {
		// The framework plans a null identity when Terraform sends none.
		identity = &tfprotov6.ResourceIdentityData{IdentityData: &info.nullIdentity}
	}
	return &tfprotov6.PlanResourceChangeResponse{
		PlannedState:    &plannedState,
		PlannedPrivate:  req.PriorPrivate,
		PlannedIdentity: identity,
		RequiresReplace: replace,
	}, true
}

// fastConfig decodes the configuration of a call that Plan or Valid may
// answer: a known object that configures no block or nested attribute the
// framework must handle (info.framework). ok is false otherwise.
func fastConfig(dv *tfprotov6.DynamicValue) (info *fastPlanInfo, v tftypes.Value, config map[string]tftypes.Value, ok bool) {
	info, err := planInfo()
	if err != nil {
		return nil, v, nil, false
	}
	v, err = dv.Unmarshal(info.state)
	if err != nil || v.IsNull() || !v.IsKnown() {
		return nil, v, nil, false
	}
	if config, err = objectAttrs(v); err != nil {
		return nil, v, nil, false
	}
	for _, name := range info.framework {
		if !config[name].IsNull() {
			return nil, v, nil, false
		}
	}
	return info, v, config, true
}

// fastPlanInfo is what Plan and Valid need of the schema.
type fastPlanInfo struct {
	state     tftypes.Type
	attrTypes map[string]tftypes.Type
	// defaults are the top-level attributes with a default, and the
	// default's value.
	defaults map[string]tftypes.Value
	// computed are the top-level computed attributes without a default.
	computed []string
	// writeOnly are the top-level write-only attributes.
	writeOnly []string
	// framework are the top-level blocks and nested attributes with
	// computed, default or write-only attributes inside: when configured,
	// the framework plans.
	framework    []string
	identityType attr.Type
	nullIdentity tfprotov6.DynamicValue
}

// nullWriteOnly sets the write-only attributes of attrs to null, as the
// framework does in every plan and state it sends.
func (info *fastPlanInfo) nullWriteOnly(attrs map[string]tftypes.Value) {
	for _, name := range info.writeOnly {
		attrs[name] = tftypes.NewValue(info.attrTypes[name], nil)
	}
}

var planInfo = sync.OnceValues(func() (*fastPlanInfo, error) {
	ctx := context.Background()
	var ir resource.IdentitySchemaResponse
	(&keyResource{}).IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &ir)
	if ir.Diagnostics.HasError() {
		return nil, fmt.Errorf("identity schema: %v", ir.Diagnostics)
	}
	s := keySchema()
	state, ok := keyType().TerraformType(ctx).(tftypes.Object)
	if !ok {
		return nil, fmt.Errorf("the schema's type is not an object")
	}
	info := &fastPlanInfo{state: state, attrTypes: state.AttributeTypes, defaults: map[string]tftypes.Value{}}
	for name, a := range s.Attributes {
		if nested, ok := a.(schema.NestedAttribute); ok {
			if nestedNeedsFramework(nested.GetNestedObject().GetAttributes()) {
				info.framework = append(info.framework, name)
			}
		}
		def, has, err := attributeDefault(ctx, a)
		switch {
		case err != nil:
			return nil, fmt.Errorf("default of %s: %w", name, err)
		case has:
			info.defaults[name] = def
		case a.IsComputed():
			info.computed = append(info.computed, name)
		}
		if a.IsWriteOnly() {
			info.writeOnly = append(info.writeOnly, name)
		}
	}
	for name, b := range s.Blocks {
		if blockNeedsFramework(b) {
			info.framework = append(info.framework, name)
		}
	}
	slices.Sort(info.computed)
	slices.Sort(info.framework)
	identType := ir.IdentitySchema.Type().TerraformType(ctx)
	nullIdentity, err := tfprotov6.NewDynamicValue(identType, tftypes.NewValue(identType, nil))
	if err != nil {
		return nil, err
	}
	info.identityType, info.nullIdentity = ir.IdentitySchema.Type(), nullIdentity
	return info, nil
})

// attributeDefault is an attribute's default value, if it has one. An
// attribute of a kind it does not know is reported as an error, so that Plan
// is never used with a schema it does not understand.
func attributeDefault(ctx context.Context, a schema.Attribute) (tftypes.Value, bool, error) {
	var v interface {
		ToTerraformValue(context.Context) (tftypes.Value, error)
	}
	switch a := a.(type) {
	case schema.StringAttribute:
		if a.Default == nil {
			return tftypes.Value{}, false, nil
		}
		var resp defaults.StringResponse
		a.Default.DefaultString(ctx, defaults.StringRequest{}, &resp)
		v = resp.PlanValue
	case schema.BoolAttribute:
		if a.Default == nil {
			return tftypes.Value{}, false, nil
		}
		var resp defaults.BoolResponse
		a.Default.DefaultBool(ctx, defaults.BoolRequest{}, &resp)
		v = resp.PlanValue
	case schema.Float64Attribute:
		if a.Default == nil {
			return tftypes.Value{}, false, nil
		}
		var resp defaults.Float64Response
		a.Default.DefaultFloat64(ctx, defaults.Float64Request{}, &resp)
		v = resp.PlanValue
	case schema.Int64Attribute:
		if a.Default == nil {
			return tftypes.Value{}, false, nil
		}
		var resp defaults.Int64Response
		a.Default.DefaultInt64(ctx, defaults.Int64Request{}, &resp)
		v = resp.PlanValue
	case schema.SetAttribute:
		if a.Default == nil {
			return tftypes.Value{}, false, nil
		}
		var resp defaults.SetResponse
		a.Default.DefaultSet(ctx, defaults.SetRequest{}, &resp)
		v = resp.PlanValue
	case schema.ListAttribute:
		if a.Default == nil {
			return tftypes.Value{}, false, nil
		}
		var resp defaults.ListResponse
		a.Default.DefaultList(ctx, defaults.ListRequest{}, &resp)
		v = resp.PlanValue
	case schema.MapAttribute:
		if a.Default == nil {
			return tftypes.Value{}, false, nil
		}
		var resp defaults.MapResponse
		a.Default.DefaultMap(ctx, defaults.MapRequest{}, &resp)
		v = resp.PlanValue
	case schema.MapNestedAttribute:
		if a.Default != nil {
			return tftypes.Value{}, false, fmt.Errorf("defaults of maps of objects are not supported")
		}
		return tftypes.Value{}, false, nil
	default:
		return tftypes.Value{}, false, fmt.Errorf("attribute kind %T not supported", a)
	}
	def, err := v.ToTerraformValue(ctx)
	return def, true, err
}

// attributeNeedsFramework reports whether planning an attribute nested in a
// block or object takes more than copying its configured value.
func attributeNeedsFramework(a schema.Attribute) bool {
	_, has, err := attributeDefault(context.Background(), a)
	if has || err != nil || a.IsComputed() || a.IsWriteOnly() {
		return true
	}
	if nested, ok := a.(schema.NestedAttribute); ok {
		return nestedNeedsFramework(nested.GetNestedObject().GetAttributes())
	}
	return false
}

func nestedNeedsFramework[A any](attrs map[string]A) bool {
	for _, a := range attrs {
		sa, ok := any(a).(schema.Attribute)
		if !ok || attributeNeedsFramework(sa) {
			return true
		}
	}
	return false
}

// blockNeedsFramework is attributeNeedsFramework for a block (and true for
// a kind of block it does not know).
func blockNeedsFramework(b schema.Block) bool {
	var attrs map[string]schema.Attribute
	var blocks map[string]schema.Block
	switch b := b.(type) {
	case schema.SingleNestedBlock:
		attrs, blocks = b.Attributes, b.Blocks
	case schema.ListNestedBlock:
		attrs, blocks = b.NestedObject.Attributes, b.NestedObject.Blocks
	default:
		return true
	}
	if nestedNeedsFramework(attrs) {
		return true
	}
	for _, nb := range blocks {
		if blockNeedsFramework(nb) {
			return true
		}
	}
	return false
}
