package pricingoverride_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// The plan-time checks of bifrost_pricing_override, driven at the protocol
// level as Terraform drives them (validate, then plan), against an
// emulator: what a user sees (severity, attribute, text) for each 400 of
// governance.md §2.7 and for what Bifrost would store otherwise than
// written.

const typeName = "bifrost_pricing_override"

func str(s string) tftypes.Value  { return tftypes.NewValue(tftypes.String, s) }
func num(f float64) tftypes.Value { return tftypes.NewValue(tftypes.Number, f) }

// shape builds the request_types and patch values of the resource type.
type shape struct{ typ tftypes.Object }

func newShape(t *testing.T, ps *acctest.ProtocolServer) shape {
	t.Helper()
	typ, ok := ps.ResourceType(typeName).(tftypes.Object)
	if !ok {
		t.Fatalf("%s is not an object", typeName)
	}
	return shape{typ: typ}
}

func (s shape) types(rts ...string) tftypes.Value {
	elems := []tftypes.Value{}
	for _, rt := range rts {
		elems = append(elems, str(rt))
	}
	return tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, elems)
}

func (s shape) patch(t *testing.T, prices map[string]float64) tftypes.Value {
	attrs := map[string]tftypes.Value{}
	for k, v := range prices {
		attrs[k] = num(v)
	}
	return acctest.ObjectValue(t, s.typ.AttributeTypes["patch"], attrs)
}

// valid is a valid configuration; with replaces (or, for a nil value,
// removes) some of its attributes.
func (s shape) valid(t *testing.T, with map[string]tftypes.Value) map[string]tftypes.Value {
	cfg := map[string]tftypes.Value{
		"name": str("contract"), "scope_kind": str("provider"), "provider_id": str("openai"),
		"match_type": str("exact"), "pattern": str("gpt-4o"), "request_types": s.types("chat_completion"),
		"patch": s.patch(t, map[string]float64{"input_cost_per_token": 1e-6}),
	}
	for k, v := range with {
		if v.IsNull() {
			delete(cfg, k)
			continue
		}
		cfg[k] = v
	}
	return cfg
}

var null = tftypes.NewValue(tftypes.String, nil)

func TestBadInputs_providerServer(t *testing.T) {
	emu, _ := acctest.StartEmulator(t, emulator.Options{})
	ps := acctest.NewProtocolServer(t, emu.URL())
	s := newShape(t, ps)
	errSev := tfprotov6.DiagnosticSeverityError
	type in = map[string]tftypes.Value
	for _, tc := range []struct {
		name string
		with in
		path string
		want []string
	}{
		{"empty name", in{"name": str(" ")}, "name", []string{"Empty name", "name is required"}},
		{"spaces around the name", in{"name": str("contract ")}, "name", []string{"Spaces around name", "Bifrost trims the spaces away"}},
		{"unsupported scope_kind", in{"scope_kind": str("team")}, "scope_kind",
			[]string{"Unsupported scope_kind", `unsupported scope_kind "team"`, "virtual_key_provider_key"}},
		{"provider scope without provider_id", in{"provider_id": null}, "provider_id",
			[]string{"Missing provider_id", `scope_kind "provider" needs provider_id`}},
		{"global scope with an id", in{"scope_kind": str("global")}, "provider_id",
			[]string{"Unexpected provider_id", `scope_kind "global" uses no scope id, not provider_id`}},
		{"provider scope with a virtual key", in{"virtual_key_id": str("vk-1")}, "virtual_key_id",
			[]string{"Unexpected virtual_key_id", `scope_kind "provider" uses provider_id, not virtual_key_id`}},
		{"virtual_key_provider without the virtual key", in{"scope_kind": str("virtual_key_provider")}, "virtual_key_id",
			[]string{"Missing virtual_key_id", `scope_kind "virtual_key_provider" needs virtual_key_id and provider_id`}},
		{"provider_key without its id", in{"scope_kind": str("provider_key"), "provider_id": null}, "provider_key_id",
			[]string{"Missing provider_key_id", `scope_kind "provider_key" needs provider_key_id`}},
		{"empty id", in{"provider_id": str("")}, "provider_id", []string{"Empty provider_id", "stores an empty id as none"}},
		{"unsupported match_type", in{"match_type": str("regex")}, "match_type",
			[]string{"Unsupported match_type", `unsupported match_type "regex"`}},
		{"exact pattern with a wildcard", in{"pattern": str("gpt-*")}, "pattern",
			[]string{"Invalid pattern", "exact match pattern must not contain wildcards"}},
		{"wildcard pattern without a trailing star", in{"match_type": str("wildcard"), "pattern": str("gpt-4o")}, "pattern",
			[]string{"Invalid pattern", "wildcard pattern must end with *"}},
		{"wildcard pattern with two stars", in{"match_type": str("wildcard"), "pattern": str("*gpt*")}, "pattern",
			[]string{"Invalid pattern", "wildcard pattern must contain exactly one trailing *"}},
		{"empty pattern", in{"pattern": str("")}, "pattern", []string{"Empty pattern", "pattern is required"}},
		{"spaces around the pattern", in{"pattern": str(" gpt-4o")}, "pattern", []string{"Spaces around pattern"}},
		{"no request types", in{"request_types": s.types()}, "request_types",
			[]string{"No request types", "must contain at least one value"}},
		{"streaming request type", in{"request_types": s.types("chat_completion_stream")}, `request_types\[.*\]`,
			[]string{"Streaming request type", `use the base type "chat_completion"`}},
		{"unknown request type", in{"request_types": s.types("chat")}, `request_types\[.*\]`,
			[]string{"Unsupported request type", `request_types names "chat"`, "chat_completion"}},
		{"negative price", in{"patch": s.patch(t, map[string]float64{"output_cost_per_token": -1e-6})}, `patch\.output_cost_per_token`,
			[]string{"Invalid price", "patch.output_cost_per_token is -1e-06", "0 or more"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			diags := ps.PlanDiags(t, typeName, s.valid(t, tc.with), nil, "id")
			acctest.ExpectOneDiagOn(t, diags, errSev, tc.path, tc.want...)
		})
	}
	// What passes: no diagnostics at all, for every scope kind.
	for _, ok := range []map[string]tftypes.Value{
		s.valid(t, nil),
		s.valid(t, in{"scope_kind": str("global"), "provider_id": null, "match_type": str("wildcard"), "pattern": str("claude-3*"),
			"request_types": s.types("chat_completion", "responses", "realtime"), "patch": s.patch(t, nil)}),
		s.valid(t, in{"scope_kind": str("provider_key"), "provider_id": null, "provider_key_id": str("k1")}),
		s.valid(t, in{"scope_kind": str("virtual_key"), "provider_id": null, "virtual_key_id": str("vk")}),
		s.valid(t, in{"scope_kind": str("virtual_key_provider"), "virtual_key_id": str("vk")}),
		s.valid(t, in{"scope_kind": str("virtual_key_provider_key"), "virtual_key_id": str("vk"), "provider_key_id": str("k1"),
			"patch": s.patch(t, map[string]float64{"input_cost_per_token": 0, "ocr_cost_per_page": 0.5})}),
	} {
		if diags := ps.PlanDiags(t, typeName, ok, nil, "id"); len(diags) != 0 {
			t.Errorf("a valid override got diagnostics:%s", acctest.RenderDiags(diags))
		}
	}
}
