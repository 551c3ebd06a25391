package virtualkey_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/governance/governancetest"
)

// The plan-time checks of bifrost_virtual_key, driven at the protocol
// level as Terraform drives them (validate, then plan), against an
// emulated Bifrost v1.5.1 (for the version checks). Each bad input of
// governance.md §2.1 the provider can know gets exactly one error, on the
// attribute at fault, saying what to do.

const typeName = "bifrost_virtual_key"

var (
	str = governancetest.Str
	num = governancetest.Num
)

func strSet(ss ...string) tftypes.Value {
	vs := []tftypes.Value{}
	for _, s := range ss {
		vs = append(vs, str(s))
	}
	return tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, vs)
}

// shape builds configuration values of bifrost_virtual_key from its schema:
// budgets and rate_limit (governancetest.Shape), and provider_configs.
type shape struct {
	governancetest.Shape
	typ tftypes.Object
}

func (s shape) pcType() tftypes.Object {
	return s.typ.AttributeTypes["provider_configs"].(tftypes.Map).ElementType.(tftypes.Object)
}

func (s shape) pcs(t *testing.T, in map[string]map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	mt := s.typ.AttributeTypes["provider_configs"].(tftypes.Map)
	vals := map[string]tftypes.Value{}
	for k, attrs := range in {
		vals[k] = acctest.ObjectValue(t, mt.ElementType, attrs)
	}
	return tftypes.NewValue(mt, vals)
}

type vkCase struct {
	name   string
	config func(t *testing.T, s shape) map[string]tftypes.Value
	path   string // "[*]" stands for a set element
	want   []string
}

func with(f func(t *testing.T, s shape) map[string]tftypes.Value) func(t *testing.T, s shape) map[string]tftypes.Value {
	return func(t *testing.T, s shape) map[string]tftypes.Value {
		cfg := map[string]tftypes.Value{"name": str("vk")}
		for k, v := range f(t, s) {
			cfg[k] = v
		}
		return cfg
	}
}

func attrs(kv map[string]tftypes.Value) func(*testing.T, shape) map[string]tftypes.Value {
	return with(func(*testing.T, shape) map[string]tftypes.Value { return kv })
}

func openai(pc func(t *testing.T, s shape) map[string]tftypes.Value) func(*testing.T, shape) map[string]tftypes.Value {
	return with(func(t *testing.T, s shape) map[string]tftypes.Value {
		return map[string]tftypes.Value{"provider_configs": s.pcs(t, map[string]map[string]tftypes.Value{"openai": pc(t, s)})}
	})
}

func i(n int64) tftypes.Value { return tftypes.NewValue(tftypes.Number, n) }

var future = time.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339)

var badVKCases = []vkCase{
	{name: "empty name", config: attrs(map[string]tftypes.Value{"name": str("")}),
		path: "name", want: []string{"name string length must be at least 1, got: 0"}},
	{name: "team and customer", config: attrs(map[string]tftypes.Value{"team_id": str("t"), "customer_id": str("c")}),
		path: "team_id", want: []string{"cannot be specified when", "customer_id"}},
	{name: "empty team_id", config: attrs(map[string]tftypes.Value{"team_id": str("")}),
		path: "team_id", want: []string{"at least 1"}},
	{name: "empty customer_id", config: attrs(map[string]tftypes.Value{"customer_id": str("")}),
		path: "customer_id", want: []string{"at least 1"}},
	{name: "budget max_limit 0", config: with(func(t *testing.T, s shape) map[string]tftypes.Value {
		return map[string]tftypes.Value{"budgets": s.Budgets(t, [2]any{0.0, "1M"})}
	}), path: "budgets[*].max_limit", want: []string{"Invalid budget max_limit", "max_limit is 0", "greater than 0"}},
	{name: "negative budget", config: with(func(t *testing.T, s shape) map[string]tftypes.Value {
		return map[string]tftypes.Value{"budgets": s.Budgets(t, [2]any{-1.0, "1M"})}
	}), path: "budgets[*].max_limit", want: []string{"max_limit is -1"}},
	{name: "bad reset duration", config: with(func(t *testing.T, s shape) map[string]tftypes.Value {
		return map[string]tftypes.Value{"budgets": s.Budgets(t, [2]any{10.0, "1x"})}
	}), path: "budgets[*].reset_duration", want: []string{"Invalid reset duration", `"1x" is not a duration Bifrost reads`}},
	{name: "zero reset duration", config: with(func(t *testing.T, s shape) map[string]tftypes.Value {
		return map[string]tftypes.Value{"budgets": s.Budgets(t, [2]any{10.0, "0d"})}
	}), path: "budgets[*].reset_duration", want: []string{"greater than 0"}},
	{name: "duplicate budget durations", config: with(func(t *testing.T, s shape) map[string]tftypes.Value {
		return map[string]tftypes.Value{"budgets": s.Budgets(t, [2]any{10.0, "1M"}, [2]any{20.0, "1M"})}
	}), path: "budgets[*].reset_duration", want: []string{"Duplicate budget reset duration", `reset_duration "1M"`}},
	{name: "token limit without duration", config: with(func(t *testing.T, s shape) map[string]tftypes.Value {
		return map[string]tftypes.Value{"rate_limit": s.RateLimit(t, map[string]tftypes.Value{"token_max_limit": i(10)})}
	}), path: "rate_limit.token_reset_duration", want: []string{"Missing rate limit reset duration"}},
	{name: "request duration without limit", config: with(func(t *testing.T, s shape) map[string]tftypes.Value {
		return map[string]tftypes.Value{"rate_limit": s.RateLimit(t, map[string]tftypes.Value{"request_reset_duration": str("1h")})}
	}), path: "rate_limit.request_max_limit", want: []string{"Missing rate limit max limit"}},
	{name: "empty rate limit", config: with(func(t *testing.T, s shape) map[string]tftypes.Value {
		return map[string]tftypes.Value{"rate_limit": s.RateLimit(t, nil)}
	}), path: "rate_limit", want: []string{"Empty rate limit"}},
	{name: "token limit 0", config: with(func(t *testing.T, s shape) map[string]tftypes.Value {
		return map[string]tftypes.Value{"rate_limit": s.RateLimit(t, map[string]tftypes.Value{"token_max_limit": i(0), "token_reset_duration": str("1h")})}
	}), path: "rate_limit.token_max_limit", want: []string{"Invalid rate limit", "token_max_limit is 0"}},
	{name: "provider name with a space", config: with(func(t *testing.T, s shape) map[string]tftypes.Value {
		return map[string]tftypes.Value{"provider_configs": s.pcs(t, map[string]map[string]tftypes.Value{"open ai": nil})}
	}), path: `provider_configs["open ai"]`, want: []string{"Invalid provider name", `"open ai" is not a valid provider name`}},
	{name: "wildcard mixed in allowed_models", config: openai(func(*testing.T, shape) map[string]tftypes.Value {
		return map[string]tftypes.Value{"allowed_models": strSet("*", "gpt-4o")}
	}), path: `provider_configs["openai"].allowed_models`, want: []string{"Wildcard mixed with names", "allowed_models holds"}},
	{name: "wildcard mixed in key_ids", config: openai(func(*testing.T, shape) map[string]tftypes.Value {
		return map[string]tftypes.Value{"key_ids": strSet("*", "k1")}
	}), path: `provider_configs["openai"].key_ids`, want: []string{"Wildcard mixed with names", "key_ids holds"}},
	{name: "empty model name", config: openai(func(*testing.T, shape) map[string]tftypes.Value {
		return map[string]tftypes.Value{"allowed_models": strSet("")}
	}), path: `provider_configs["openai"].allowed_models`, want: []string{"Empty name in list"}},
	{name: "provider budget 0", config: openai(func(t *testing.T, s shape) map[string]tftypes.Value {
		return map[string]tftypes.Value{"budgets": governancetest.BudgetSet(t, s.pcType().AttributeTypes["budgets"].(tftypes.Set), [2]any{0.0, "1d"})}
	}), path: `provider_configs["openai"].budgets[*].max_limit`, want: []string{"Invalid budget max_limit"}},
	{name: "provider budgets duplicate", config: openai(func(t *testing.T, s shape) map[string]tftypes.Value {
		return map[string]tftypes.Value{"budgets": governancetest.BudgetSet(t, s.pcType().AttributeTypes["budgets"].(tftypes.Set), [2]any{1.0, "1d"}, [2]any{2.0, "1d"})}
	}), path: `provider_configs["openai"].budgets[*].reset_duration`, want: []string{"Duplicate budget reset duration"}},
	{name: "provider rate limit without duration", config: openai(func(t *testing.T, s shape) map[string]tftypes.Value {
		return map[string]tftypes.Value{"rate_limit": acctest.ObjectValue(t, s.pcType().AttributeTypes["rate_limit"], map[string]tftypes.Value{"request_max_limit": i(5)})}
	}), path: `provider_configs["openai"].rate_limit.request_reset_duration`, want: []string{"Missing rate limit reset duration"}},
	{name: "expires_at not a time", config: attrs(map[string]tftypes.Value{"expires_at": str("tomorrow")}),
		path: "expires_at", want: []string{"Invalid expires_at", `"tomorrow" is not an RFC 3339 time`}},
	{name: "expires_at in the past", config: attrs(map[string]tftypes.Value{"expires_at": str("2020-01-01T00:00:00Z")}),
		path: "expires_at", want: []string{"expires_at is in the past", "expires_at must be a future timestamp"}},
	{name: "expires_at on v1.5.1", config: attrs(map[string]tftypes.Value{"expires_at": str(future)}),
		path: "expires_at", want: []string{"Not supported by this Bifrost version", "needs Bifrost ≥ 2.0", "runs v1.5.1"}},
	{name: "rotation_trigger on v1.5.1", config: attrs(map[string]tftypes.Value{"rotation_trigger": str("1")}),
		path: "rotation_trigger", want: []string{"Not supported by this Bifrost version", "runs v1.5.1"}},
	{name: "blacklisted_models on v1.5.1", config: openai(func(*testing.T, shape) map[string]tftypes.Value {
		return map[string]tftypes.Value{"blacklisted_models": strSet("gpt-4")}
	}), path: `provider_configs["openai"].blacklisted_models`, want: []string{"Not supported by this Bifrost version", "runs v1.5.1"}},
}

// pathRE is the ExpectOneDiagOn pattern of a case's path ("[*]" stands
// for a set element).
func pathRE(path string) string {
	return strings.ReplaceAll(regexp.QuoteMeta(path), `\[\*\]`, acctest.SetElem)
}

// TestVirtualKeyBadInputs: every bad input gets exactly one error, at
// plan time, on its attribute, with the text a user needs.
func TestVirtualKeyBadInputs(t *testing.T) {
	srv, _ := acctest.StartEmulator(t, emulator.Options{Version: "v1.5.1"})
	ps := acctest.NewProtocolServer(t, srv.URL())
	s := shape{Shape: governancetest.NewShape(t, ps, typeName), typ: ps.ResourceType(typeName).(tftypes.Object)}
	if len(badVKCases) < 15 {
		t.Fatalf("%d bad inputs, want at least 15", len(badVKCases))
	}
	for _, tc := range badVKCases {
		t.Run(tc.name, func(t *testing.T) {
			acctest.ExpectOneDiagOn(t, ps.PlanDiags(t, typeName, tc.config(t, s), nil), tfprotov6.DiagnosticSeverityError, pathRE(tc.path), tc.want...)
		})
	}
	// A good configuration passes, with every attribute.
	good := with(func(t *testing.T, s shape) map[string]tftypes.Value {
		return map[string]tftypes.Value{
			"description": str("d"), "team_id": str("t"),
			"budgets":    s.Budgets(t, [2]any{10.0, "1M"}, [2]any{1.0, "1d"}),
			"rate_limit": s.RateLimit(t, map[string]tftypes.Value{"token_max_limit": i(10), "token_reset_duration": str("1h")}),
			"provider_configs": s.pcs(t, map[string]map[string]tftypes.Value{
				"openai": {"allowed_models": strSet("gpt-4o"), "key_ids": strSet("*"), "weight": num(0.5)},
			}),
		}
	})
	if diags := ps.PlanDiags(t, typeName, good(t, s), nil); len(diags) != 0 {
		t.Errorf("a good configuration got:%s", acctest.RenderDiags(diags))
	}
}
