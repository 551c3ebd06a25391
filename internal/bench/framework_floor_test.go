package bench

import (
	"context"
	"math/big"
	"reflect"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	bifrostprovider "github.com/maximhq/terraform-provider-bifrost/internal/provider"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/providerkey"
)

const keyType = "bifrost_provider_key"

// countBehaviour counts the non-empty Validators, PlanModifiers and Default
// fields anywhere in v, following every map, interface, slice and struct.
func countBehaviour(v reflect.Value) int {
	n := 0
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		if !v.IsNil() {
			n += countBehaviour(v.Elem())
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			n += countBehaviour(it.Value())
		}
	case reflect.Slice:
		for i := range v.Len() {
			n += countBehaviour(v.Index(i))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			if slices.Contains(behaviourFields, f.Name) {
				if !v.Field(i).IsZero() {
					n++
				}
				continue
			}
			n += countBehaviour(v.Field(i))
		}
	}
	return n
}

// The real schemas have validators, plan modifiers and defaults at several
// depths (nested attributes, blocks in blocks); the floor's copies have
// none, and the real ones are left as they were.
func TestWithoutBehaviour(t *testing.T) {
	ctx := context.Background()
	var rs resource.SchemaResponse
	providerkey.NewResource().Schema(ctx, resource.SchemaRequest{}, &rs)
	var ps provider.SchemaResponse
	bifrostprovider.New("test")().Schema(ctx, provider.SchemaRequest{}, &ps)

	for _, c := range []struct {
		name             string
		actual, stripped any
	}{
		{"resource", rs.Schema, withoutBehaviour(rs.Schema)},
		{"provider", ps.Schema, withoutBehaviour(ps.Schema)},
	} {
		if countBehaviour(reflect.ValueOf(c.actual)) == 0 {
			t.Fatalf("the real %s schema has no validator, plan modifier or default: the test proves nothing", c.name)
		}
		if n := countBehaviour(reflect.ValueOf(c.stripped)); n != 0 {
			t.Errorf("%s schema without behaviour still has %d validators, plan modifiers or defaults", c.name, n)
		}
	}
	// The real schemas are left as they were.
	var again resource.SchemaResponse
	providerkey.NewResource().Schema(ctx, resource.SchemaRequest{}, &again)
	if got, want := countBehaviour(reflect.ValueOf(rs.Schema)), countBehaviour(reflect.ValueOf(again.Schema)); got != want {
		t.Errorf("stripping changed the real resource schema: %d behaviours, want %d", got, want)
	}
}

// servers returns the protocol servers of the framework floor and of the
// real provider.
func servers(t *testing.T) (floor, actual tfprotov6.ProviderServer) {
	t.Helper()
	floor, err := providerserver.NewProtocol6WithError(newFrameworkFloor(context.Background()))()
	if err != nil {
		t.Fatal(err)
	}
	actual, err = bifrostprovider.NewServer("test")()
	if err != nil {
		t.Fatal(err)
	}
	return floor, actual
}

// Over the protocol, where validators, plan modifiers and defaults do not
// show, the floor's key and provider schemas and the key's identity schema
// are the real ones.
func TestFrameworkFloorSchema(t *testing.T) {
	ctx := context.Background()
	floor, actual := servers(t)
	fs, err := floor.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || len(fs.Diagnostics) > 0 {
		t.Fatalf("floor schema: %v %v", err, fs.Diagnostics)
	}
	rs, err := actual.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs.ResourceSchemas) != 1 || len(fs.DataSourceSchemas) != 0 {
		t.Errorf("floor serves %d resources and %d data sources, want bifrost_provider_key only", len(fs.ResourceSchemas), len(fs.DataSourceSchemas))
	}
	if !reflect.DeepEqual(fs.ResourceSchemas[keyType], rs.ResourceSchemas[keyType]) {
		t.Errorf("floor's %s schema differs from the real one", keyType)
	}
	if !reflect.DeepEqual(fs.Provider, rs.Provider) {
		t.Error("floor's provider schema differs from the real one")
	}
	fi, err := floor.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	ri, err := actual.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if fi.IdentitySchemas[keyType] == nil || !reflect.DeepEqual(fi.IdentitySchemas[keyType], ri.IdentitySchemas[keyType]) {
		t.Errorf("floor's identity schema %v, want the real one %v", fi.IdentitySchemas[keyType], ri.IdentitySchemas[keyType])
	}
}

// keyObject is a bifrost_provider_key object of type typ with the given
// attributes, every other one null.
func keyObject(t *testing.T, typ tftypes.Object, set map[string]tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		if v, ok := set[name]; ok {
			vals[name] = v
		} else {
			vals[name] = tftypes.NewValue(at, nil)
		}
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

// benchKey is the configuration of a benchmark key with weight w.
func benchKey(name string, w float64) map[string]tftypes.Value {
	return map[string]tftypes.Value{
		"provider_name": tftypes.NewValue(tftypes.String, "openai"),
		"name":          tftypes.NewValue(tftypes.String, name),
		"value":         tftypes.NewValue(tftypes.String, "sk-bench-1"),
		"models":        tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{tftypes.NewValue(tftypes.String, benchModel)}),
		"weight":        tftypes.NewValue(tftypes.Number, w),
	}
}

func unmarshal(t *testing.T, dv *tfprotov6.DynamicValue, typ tftypes.Type) map[string]tftypes.Value {
	t.Helper()
	v, err := dv.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	if v.IsNull() {
		return nil
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		t.Fatal(err)
	}
	return attrs
}

func hasUnknown(t *testing.T, dv *tfprotov6.DynamicValue, typ tftypes.Type) bool {
	t.Helper()
	v, err := dv.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	unknown := false
	_ = tftypes.Walk(v, func(_ *tftypes.AttributePath, v tftypes.Value) (bool, error) {
		unknown = unknown || !v.IsKnown()
		return !unknown, nil
	})
	return unknown
}

func noErrors(t *testing.T, call string, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Fatalf("%s: %s: %s", call, d.Summary, d.Detail)
		}
	}
}

func hasError(diags []*tfprotov6.Diagnostic) bool {
	return slices.ContainsFunc(diags, func(d *tfprotov6.Diagnostic) bool { return d.Severity == tfprotov6.DiagnosticSeverityError })
}

// The floor validates nothing, plans what the framework plans without plan
// modifiers or defaults (computed attributes unknown), stores plans with
// their unknowns null, keeps the state on reads, sets an identity from the
// state, and forgets the key on delete.
func TestFrameworkFloorLifecycle(t *testing.T) {
	ctx := context.Background()
	floor, actual := servers(t)
	schema, err := floor.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	typ, ok := schema.ResourceSchemas[keyType].ValueType().(tftypes.Object)
	if !ok {
		t.Fatal("the key's type is not an object")
	}
	identities, err := floor.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	identityType := identities.IdentitySchemas[keyType].ValueType()
	conf, err := tfprotov6.NewDynamicValue(schema.Provider.ValueType(), tftypes.NewValue(schema.Provider.ValueType(), nil))
	if err != nil {
		t.Fatal(err)
	}
	cr, err := floor.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: &conf})
	if err != nil {
		t.Fatal(err)
	}
	noErrors(t, "configure", cr.Diagnostics)

	// An empty name: the real resource refuses it, the floor does not check.
	empty := keyObject(t, typ, benchKey("", 1))
	vr, err := actual.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: keyType, Config: empty})
	if err != nil || !hasError(vr.Diagnostics) {
		t.Errorf("the real resource accepts an empty name (%v): the test proves nothing", err)
	}
	vf, err := floor.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: keyType, Config: empty})
	if err != nil {
		t.Fatal(err)
	}
	noErrors(t, "floor validation of an empty name", vf.Diagnostics)

	// Create.
	null := keyObject(t, typ, nil)
	nullValue, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil))
	if err != nil {
		t.Fatal(err)
	}
	config := keyObject(t, typ, benchKey("bench-1", 1))
	plan, err := floor.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: keyType, PriorState: &nullValue, ProposedNewState: config, Config: config,
	})
	if err != nil {
		t.Fatal(err)
	}
	noErrors(t, "create plan", plan.Diagnostics)
	planned := unmarshal(t, plan.PlannedState, typ)
	if planned["id"].IsKnown() || planned["enabled"].IsKnown() {
		t.Errorf("planned id %s, enabled %s: want unknown (no defaults, no plan modifiers)", planned["id"], planned["enabled"])
	}
	apply, err := floor.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: keyType, PriorState: &nullValue, PlannedState: plan.PlannedState, Config: config,
	})
	if err != nil {
		t.Fatal(err)
	}
	noErrors(t, "create", apply.Diagnostics)
	if hasUnknown(t, apply.NewState, typ) {
		t.Error("the created state has unknown values")
	}
	state := unmarshal(t, apply.NewState, typ)
	var name string
	var weight big.Float
	if err := state["name"].As(&name); err != nil || name != "bench-1" || !state["id"].IsNull() || !state["enabled"].IsNull() {
		t.Errorf("created state: name %q, id %s, enabled %s; want bench-1 and nulls", name, state["id"], state["enabled"])
	}
	if apply.NewIdentity == nil {
		t.Fatal("no identity after create")
	}
	identity := unmarshal(t, apply.NewIdentity.IdentityData, identityType)
	if !identity["provider_name"].Equal(tftypes.NewValue(tftypes.String, "openai")) || !identity["id"].IsNull() {
		t.Errorf("identity after create = %v, want the state's provider_name and id", identity)
	}

	// Read, as Terraform 1.11 does: without an identity.
	read, err := floor.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: keyType, CurrentState: apply.NewState})
	if err != nil {
		t.Fatal(err)
	}
	noErrors(t, "read", read.Diagnostics)
	if got := unmarshal(t, read.NewState, typ); !reflect.DeepEqual(got, state) {
		t.Errorf("read changed the state:\n%v\nwant\n%v", got, state)
	}
	if read.NewIdentity == nil || !reflect.DeepEqual(unmarshal(t, read.NewIdentity.IdentityData, identityType), identity) {
		t.Errorf("identity after read = %v, want %v", read.NewIdentity, identity)
	}

	// Update the weight.
	config = keyObject(t, typ, benchKey("bench-1", 0.5))
	plan, err = floor.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: keyType, PriorState: read.NewState, ProposedNewState: config, Config: config,
	})
	if err != nil {
		t.Fatal(err)
	}
	noErrors(t, "update plan", plan.Diagnostics)
	apply, err = floor.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: keyType, PriorState: read.NewState, PlannedState: plan.PlannedState, Config: config,
	})
	if err != nil {
		t.Fatal(err)
	}
	noErrors(t, "update", apply.Diagnostics)
	if hasUnknown(t, apply.NewState, typ) {
		t.Error("the updated state has unknown values")
	}
	if err := unmarshal(t, apply.NewState, typ)["weight"].As(&weight); err != nil || weight.Cmp(big.NewFloat(0.5)) != 0 {
		t.Errorf("updated weight %s (%v), want 0.5", weight.String(), err)
	}

	// Delete.
	plan, err = floor.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: keyType, PriorState: apply.NewState, ProposedNewState: &nullValue, Config: null,
	})
	if err != nil {
		t.Fatal(err)
	}
	noErrors(t, "delete plan", plan.Diagnostics)
	apply, err = floor.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: keyType, PriorState: apply.NewState, PlannedState: plan.PlannedState, Config: null,
	})
	if err != nil {
		t.Fatal(err)
	}
	noErrors(t, "delete", apply.Diagnostics)
	if unmarshal(t, apply.NewState, typ) != nil {
		t.Error("the key is still in the state after delete")
	}
}

// A value's unknowns become nulls at any depth; known values stay.
func TestUnknownsToNull(t *testing.T) {
	obj := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"a": tftypes.String, "b": tftypes.List{ElementType: tftypes.String},
		"c": tftypes.Object{AttributeTypes: map[string]tftypes.Type{"d": tftypes.Number}},
	}}
	in := tftypes.NewValue(obj, map[string]tftypes.Value{
		"a": tftypes.NewValue(tftypes.String, "x"),
		"b": tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, tftypes.UnknownValue),
		"c": tftypes.NewValue(obj.AttributeTypes["c"], map[string]tftypes.Value{"d": tftypes.NewValue(tftypes.Number, tftypes.UnknownValue)}),
	})
	got, err := unknownsToNull(in)
	if err != nil {
		t.Fatal(err)
	}
	want := tftypes.NewValue(obj, map[string]tftypes.Value{
		"a": tftypes.NewValue(tftypes.String, "x"),
		"b": tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, nil),
		"c": tftypes.NewValue(obj.AttributeTypes["c"], map[string]tftypes.Value{"d": tftypes.NewValue(tftypes.Number, nil)}),
	})
	if !got.Equal(want) {
		t.Errorf("unknownsToNull = %s, want %s", got, want)
	}
}
