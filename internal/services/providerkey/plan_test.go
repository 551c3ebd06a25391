package providerkey_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/providerkey"
)

// TestPlanMatchesFramework checks the provider's own planning against the
// framework's: for keys of many configurations, created through the
// framework, and for the plans Terraform asks of them (create, no change,
// drift, configuration changes, replacement, unknown values, destroy),
// Plan either declines or answers exactly what the framework answers; and
// it answers every plan it is meant to.
func TestPlanMatchesFramework(t *testing.T) {
	srv, err := emulator.Start(emulator.Options{
		Providers: []string{"openai", "anthropic", "azure", "bedrock"},
		Env:       map[string]string{"OPENAI_KEY": "sk-env-0123456789abcdefghij"},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	fw := acctest.NewFrameworkProtocolServer(t, srv.URL())
	typ := fw.ResourceType(typeName)
	ctx := context.Background()
	computed := computedAttributes(t, fw)

	object := func(name string, attrs map[string]tftypes.Value) tftypes.Value { return blockValue(typ, name, attrs) }

	configs := []struct {
		name string
		// planned: whether Plan plans this configuration (else the
		// framework does).
		planned bool
		attrs   map[string]tftypes.Value
	}{
		{"minimal", true, map[string]tftypes.Value{
			"provider_name": str("openai"), "name": str("pu-minimal"), "value": str("sk-pu-0123456789abcdefghij"),
			"models": strSet("gpt-4o-mini"), "weight": tftypes.NewValue(tftypes.Number, 1.0),
		}},
		{"defaults", true, map[string]tftypes.Value{
			"provider_name": str("openai"), "name": str("pu-defaults"), "value": str("sk-pu-1123456789abcdefghij"),
		}},
		{"reference", true, map[string]tftypes.Value{
			"provider_name": str("openai"), "name": str("pu-reference"), "value": str("env.OPENAI_KEY"),
		}},
		{"write-only", true, map[string]tftypes.Value{
			"provider_name": str("openai"), "name": str("pu-wo"), "value_wo": str("sk-pu-2123456789abcdefghij"),
			"value_wo_version": tftypes.NewValue(tftypes.Number, 1),
		}},
		{"everything", true, map[string]tftypes.Value{
			"id": str("pu-everything-id"), "provider_name": str("openai"), "name": str("pu-everything"),
			"value": str("sk-pu-3123456789abcdefghij"), "models": strSet("gpt-4o", "gpt-4o-mini"),
			"blacklisted_models": strSet("o1"), "weight": tftypes.NewValue(tftypes.Number, 0.25),
			"enabled": tftypes.NewValue(tftypes.Bool, false), "use_for_batch_api": tftypes.NewValue(tftypes.Bool, true),
			"aliases":  tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, map[string]tftypes.Value{"fast": str("gpt-4o-mini")}),
			"timeouts": object("timeouts", map[string]tftypes.Value{"create": str("1m")}),
		}},
		{"azure", true, map[string]tftypes.Value{
			"provider_name": str("azure"), "name": str("pu-azure"), "value": str("az-pu-0123456789abcdefghij"),
			"azure_key_config": object("azure_key_config", map[string]tftypes.Value{
				"endpoint": str("https://example.openai.azure.com"), "api_version": str("2024-10-21"),
			}),
		}},
		// A block with defaults inside: the framework plans it.
		{"bedrock", false, map[string]tftypes.Value{
			"provider_name": str("bedrock"), "name": str("pu-bedrock"),
			"bedrock_key_config": object("bedrock_key_config", map[string]tftypes.Value{
				"access_key": str("AKIA0123456789ABCDEF"), "secret_key": str("secret-0123456789abcdefghij"),
				"region": str("us-east-1"),
			}),
		}},
	}

	answers := 0
	for _, c := range configs {
		t.Run(c.name, func(t *testing.T) {
			config := fw.Value(t, typ, c.attrs)
			null := nullValue(t, typ)
			state, private, identity := applyCreate(t, fw, typ, &config)
			stateAttrs := acctest.Attrs(t, typ, state)
			// with is the state with some attributes changed.
			with := func(changes map[string]tftypes.Value) *tfprotov6.DynamicValue {
				attrs := maps.Clone(stateAttrs)
				maps.Copy(attrs, changes)
				v := fw.Value(t, typ, attrs)
				return &v
			}
			// configured is the configuration with some attributes changed.
			configured := func(changes map[string]tftypes.Value) map[string]tftypes.Value {
				attrs := maps.Clone(c.attrs)
				maps.Copy(attrs, changes)
				return attrs
			}
			// update is the plan Terraform asks for a configuration over a
			// prior state: its proposed new state takes the configured
			// values, and the prior ones where a computed attribute is not
			// configured (as Terraform's objchange.ProposedNew does).
			update := func(prior *tfprotov6.DynamicValue, cfgAttrs map[string]tftypes.Value) tfprotov6.PlanResourceChangeRequest {
				cfg := fw.Value(t, typ, cfgAttrs)
				priorAttrs := map[string]tftypes.Value{}
				if v, err := prior.Unmarshal(typ); err != nil {
					t.Fatal(err)
				} else if !v.IsNull() {
					priorAttrs = acctest.Attrs(t, typ, prior)
				}
				proposed := map[string]tftypes.Value{}
				for name, at := range typ.(tftypes.Object).AttributeTypes {
					v, ok := cfgAttrs[name]
					if !ok {
						v = tftypes.NewValue(at, nil)
					}
					if v.IsNull() && computed[name] && len(priorAttrs) > 0 {
						v = priorAttrs[name]
					}
					proposed[name] = v
				}
				p := fw.Value(t, typ, proposed)
				return tfprotov6.PlanResourceChangeRequest{Config: &cfg, PriorState: prior, ProposedNewState: &p, PriorPrivate: private, PriorIdentity: identity}
			}
			otherProvider := "anthropic"
			if acctest.Str(t, c.attrs["provider_name"]) == "anthropic" {
				otherProvider = "openai"
			}
			cases := []struct {
				name string
				req  tfprotov6.PlanResourceChangeRequest
			}{
				{"create", tfprotov6.PlanResourceChangeRequest{Config: &config, PriorState: &null, ProposedNewState: &config}},
				{"create, Terraform with identity", func() tfprotov6.PlanResourceChangeRequest {
					r := update(&null, c.attrs)
					r.PriorIdentity = &tfprotov6.ResourceIdentityData{IdentityData: &nullIdentity(t, fw)[0]}
					r.PriorPrivate = nil
					return r
				}()},
				{"unchanged", update(state, c.attrs)},
				{"unchanged, Terraform without identity", func() tfprotov6.PlanResourceChangeRequest {
					r := update(state, c.attrs)
					r.PriorIdentity = nil
					return r
				}()},
				{"unchanged, no private state", func() tfprotov6.PlanResourceChangeRequest {
					r := update(state, c.attrs)
					r.PriorPrivate = nil
					return r
				}()},
				// Bifrost's values changed (refreshed into the prior state).
				{"weight drifted", update(with(map[string]tftypes.Value{"weight": tftypes.NewValue(tftypes.Number, 0.7)}), c.attrs)},
				{"enabled drifted", update(with(map[string]tftypes.Value{"enabled": tftypes.NewValue(tftypes.Bool, false)}), c.attrs)},
				{"models drifted", update(with(map[string]tftypes.Value{"models": strSet("o3")}), c.attrs)},
				{"status drifted", update(with(map[string]tftypes.Value{"status": str("success"), "config_hash": str("abc")}), c.attrs)},
				{"reference stale", update(with(map[string]tftypes.Value{"value_env_var": str("env.OTHER"), "value_from_env": tftypes.NewValue(tftypes.Bool, true)}), c.attrs)},
				{"name drifted", update(with(map[string]tftypes.Value{"name": str("renamed")}), c.attrs)},
				// The configuration changed.
				{"weight configured", update(state, configured(map[string]tftypes.Value{"weight": tftypes.NewValue(tftypes.Number, 0.5)}))},
				{"weight unset", update(with(map[string]tftypes.Value{"weight": tftypes.NewValue(tftypes.Number, 0.5)}), configured(map[string]tftypes.Value{"weight": tftypes.NewValue(tftypes.Number, nil)}))},
				{"value to reference", update(state, configured(map[string]tftypes.Value{"value": str("env.OPENAI_KEY"), "value_wo": tftypes.NewValue(tftypes.String, nil), "value_wo_version": tftypes.NewValue(tftypes.Number, nil)}))},
				{"value to literal", update(state, configured(map[string]tftypes.Value{"value": str("sk-pu-9123456789abcdefghij"), "value_wo": tftypes.NewValue(tftypes.String, nil), "value_wo_version": tftypes.NewValue(tftypes.Number, nil)}))},
				{"value unknown", update(state, configured(map[string]tftypes.Value{"value": tftypes.NewValue(tftypes.String, tftypes.UnknownValue)}))},
				{"name unknown", update(state, configured(map[string]tftypes.Value{"name": tftypes.NewValue(tftypes.String, tftypes.UnknownValue)}))},
				{"id configured", update(state, configured(map[string]tftypes.Value{"id": str("pu-new-id")}))},
				{"id unknown", update(state, configured(map[string]tftypes.Value{"id": tftypes.NewValue(tftypes.String, tftypes.UnknownValue)}))},
				{"provider changed", update(state, configured(map[string]tftypes.Value{"provider_name": str(otherProvider)}))},
				{"description configured", update(state, configured(map[string]tftypes.Value{"aliases": tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, map[string]tftypes.Value{"x": str("gpt-4o")})}))},
				{"timeouts added", update(state, configured(map[string]tftypes.Value{"timeouts": object("timeouts", map[string]tftypes.Value{"read": str("2m")})}))},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					req := tc.req
					req.TypeName = typeName
					want, err := fw.PlanResourceChange(ctx, &req)
					if err != nil {
						t.Fatal(err)
					}
					if acctest.HasErrors(want.Diagnostics) {
						t.Fatalf("the framework's plan failed: %v", acctest.Diags(want.Diagnostics))
					}
					got, ok := providerkey.Plan(&req)
					if ok != c.planned {
						t.Fatalf("Plan answered: %v, want %v", ok, c.planned)
					}
					if !ok {
						return
					}
					answers++
					comparePlans(t, fw, typ, want, got)
				})
			}
			t.Run("destroy", func(t *testing.T) {
				req := tfprotov6.PlanResourceChangeRequest{TypeName: typeName, Config: &null, PriorState: state, ProposedNewState: &null, PriorPrivate: private, PriorIdentity: identity}
				if _, ok := providerkey.Plan(&req); ok {
					t.Fatal("Plan answered a destroy; the framework plans those")
				}
			})
		})
	}
	if answers == 0 {
		t.Fatal("Plan never answered")
	}
}

// computedAttributes are the resource's computed top-level attributes.
func computedAttributes(t *testing.T, ps *acctest.ProtocolServer) map[string]bool {
	t.Helper()
	resp, err := ps.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, a := range resp.ResourceSchemas[typeName].Block.Attributes {
		out[a.Name] = a.Computed
	}
	return out
}

func nullIdentity(t *testing.T, ps *acctest.ProtocolServer) []tfprotov6.DynamicValue {
	t.Helper()
	typ := identityType(t, ps)
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil))
	if err != nil {
		t.Fatal(err)
	}
	return []tfprotov6.DynamicValue{dv}
}

// comparePlans fails unless the fast path's plan is the framework's.
func comparePlans(t *testing.T, ps *acctest.ProtocolServer, typ tftypes.Type, want, got *tfprotov6.PlanResourceChangeResponse) {
	t.Helper()
	if len(want.Diagnostics) > 0 || len(got.Diagnostics) > 0 {
		t.Fatalf("diagnostics: framework %v, fast path %v", acctest.Diags(want.Diagnostics), acctest.Diags(got.Diagnostics))
	}
	wantState, err := want.PlannedState.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	gotState, err := got.PlannedState.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	if !gotState.Equal(wantState) {
		t.Errorf("planned state:\nfast path %s\nframework %s", gotState, wantState)
	}
	if fmt.Sprint(want.RequiresReplace) != fmt.Sprint(got.RequiresReplace) {
		t.Errorf("requires replace: framework %v, fast path %v", want.RequiresReplace, got.RequiresReplace)
	}
	if w, g := privateJSON(t, want.PlannedPrivate), privateJSON(t, got.PlannedPrivate); !slices.Equal(slices.Sorted(maps.Keys(w)), slices.Sorted(maps.Keys(g))) || !maps.EqualFunc(w, g, jsonEqual) {
		t.Errorf("planned private:\nfast path %s\nframework %s", got.PlannedPrivate, want.PlannedPrivate)
	}
	idType := identityType(t, ps)
	wantID, err := want.PlannedIdentity.IdentityData.Unmarshal(idType)
	if err != nil {
		t.Fatal(err)
	}
	gotID, err := got.PlannedIdentity.IdentityData.Unmarshal(idType)
	if err != nil {
		t.Fatal(err)
	}
	if !gotID.Equal(wantID) {
		t.Errorf("planned identity: fast path %s, framework %s", gotID, wantID)
	}
	if want.Deferred != nil || got.Deferred != nil {
		t.Errorf("deferred: framework %v, fast path %v", want.Deferred, got.Deferred)
	}
}

// privateJSON decodes private state; none and an empty object are the same.
func privateJSON(t *testing.T, b []byte) map[string]json.RawMessage {
	t.Helper()
	m := map[string]json.RawMessage{}
	if len(b) > 0 {
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("private state %q: %v", b, err)
		}
	}
	return m
}

func jsonEqual(a, b json.RawMessage) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && slices.Equal([]byte(mustJSON(x)), []byte(mustJSON(y)))
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func identityType(t *testing.T, ps *acctest.ProtocolServer) tftypes.Type {
	t.Helper()
	ids, err := ps.GetResourceIdentitySchemas(context.Background(), &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	return ids.IdentitySchemas[typeName].ValueType()
}

// applyCreate creates a key as Terraform does (validate, plan, apply) and
// returns its state, private state and identity.
func applyCreate(t *testing.T, ps *acctest.ProtocolServer, typ tftypes.Type, config *tfprotov6.DynamicValue) (*tfprotov6.DynamicValue, []byte, *tfprotov6.ResourceIdentityData) {
	t.Helper()
	ctx := context.Background()
	v, err := ps.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{
		TypeName: typeName, Config: config,
		ClientCapabilities: &tfprotov6.ValidateResourceConfigClientCapabilities{WriteOnlyAttributesAllowed: true},
	})
	if err != nil || acctest.HasErrors(v.Diagnostics) {
		t.Fatalf("validate: %v %v", err, acctest.Diags(v.Diagnostics))
	}
	null := nullValue(t, typ)
	p, err := ps.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: typeName, Config: config, PriorState: &null, ProposedNewState: config})
	if err != nil || acctest.HasErrors(p.Diagnostics) {
		t.Fatalf("plan: %v %v", err, acctest.Diags(p.Diagnostics))
	}
	a, err := ps.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: typeName, Config: config, PriorState: &null, PlannedState: p.PlannedState, PlannedPrivate: p.PlannedPrivate,
	})
	if err != nil || acctest.HasErrors(a.Diagnostics) {
		t.Fatalf("apply: %v %v", err, acctest.Diags(a.Diagnostics))
	}
	return a.NewState, a.Private, a.NewIdentity
}

// TestPlanModifiersKnownToPlan lists the attributes with plan modifiers,
// which Plan implements (UseStateForUnknown on id and config_hash,
// RequiresReplace on provider_name, RequiresReplaceIfConfigured on id): a
// new plan modifier must be implemented there, then added here.
func TestPlanModifiersKnownToPlan(t *testing.T) {
	var resp resource.SchemaResponse
	providerkey.NewResource().Schema(context.Background(), resource.SchemaRequest{}, &resp)
	var got []string
	var walk func(prefix string, attrs map[string]schema.Attribute, blocks map[string]schema.Block)
	walk = func(prefix string, attrs map[string]schema.Attribute, blocks map[string]schema.Block) {
		for name, a := range attrs {
			if n := planModifierCount(a); n > 0 {
				got = append(got, prefix+name)
			}
			if nested, ok := a.(schema.MapNestedAttribute); ok {
				walk(prefix+name+".", nested.NestedObject.Attributes, nil)
			}
		}
		for name, b := range blocks {
			switch b := b.(type) {
			case schema.SingleNestedBlock:
				if len(b.PlanModifiers) > 0 {
					got = append(got, prefix+name)
				}
				walk(prefix+name+".", b.Attributes, b.Blocks)
			case schema.ListNestedBlock:
				if len(b.PlanModifiers) > 0 {
					got = append(got, prefix+name)
				}
				walk(prefix+name+".", b.NestedObject.Attributes, b.NestedObject.Blocks)
			default:
				t.Errorf("block %s%s: kind %T not walked", prefix, name, b)
			}
		}
	}
	walk("", resp.Schema.Attributes, resp.Schema.Blocks)
	slices.Sort(got)
	want := []string{"config_hash", "id", "provider_name"}
	if !slices.Equal(got, want) {
		t.Errorf("attributes with plan modifiers: %v, want %v; implement them in Plan", got, want)
	}
}

func planModifierCount(a schema.Attribute) int {
	switch a := a.(type) {
	case schema.StringAttribute:
		return len(a.PlanModifiers)
	case schema.BoolAttribute:
		return len(a.PlanModifiers)
	case schema.Int64Attribute:
		return len(a.PlanModifiers)
	case schema.Float64Attribute:
		return len(a.PlanModifiers)
	case schema.SetAttribute:
		return len(a.PlanModifiers)
	case schema.ListAttribute:
		return len(a.PlanModifiers)
	case schema.MapAttribute:
		return len(a.PlanModifiers)
	case schema.MapNestedAttribute:
		return len(a.PlanModifiers)
	default:
		return -1 // unknown kind: reported as having modifiers
	}
}
