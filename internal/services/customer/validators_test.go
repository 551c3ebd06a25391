package customer_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/governance/governancetest"
)

// The plan-time checks of bifrost_customer, driven at the protocol level as
// Terraform drives them (validate, then plan), against an emulator: what a
// user sees (severity, attribute, text), whichever validator produces it.

const typeName = "bifrost_customer"

var (
	str = governancetest.Str
	num = governancetest.Num
)

// plan is what Terraform reports at plan time for config, over prior (nil
// for a create).
func plan(t *testing.T, ps *acctest.ProtocolServer, config, prior map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	t.Helper()
	return ps.PlanDiags(t, typeName, config, prior, "id")
}

func TestBadInputs_providerServer(t *testing.T) {
	for _, version := range []string{"v1.5.1", "v2.2.6"} {
		t.Run(version, func(t *testing.T) {
			opts := emulator.Options{Version: version}
			if version != "v1.5.1" {
				opts.SetupToken = "setup-token-0123456789"
			}
			emu, err := emulator.Start(opts)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(emu.Close)
			attrs := map[string]tftypes.Value{"endpoint": str(emu.URL())}
			if opts.SetupToken != "" {
				attrs["setup_token"] = str(opts.SetupToken)
			}
			ps, diags := acctest.ConfigureProtocolServer(t, attrs)
			if acctest.HasErrors(diags) {
				t.Fatal(acctest.Diags(diags))
			}
			s := governancetest.NewShape(t, ps, typeName)
			errSev := tfprotov6.DiagnosticSeverityError
			two := map[string]tftypes.Value{"name": str("c"), "budgets": s.Budgets(t, [2]any{10.0, "1d"}, [2]any{20.0, "1M"})}
			if version != "v1.5.1" {
				if diags := plan(t, ps, two, nil); len(diags) != 0 {
					t.Errorf("two budgets on %s got diagnostics:%s", version, acctest.RenderDiags(diags))
				}
				return
			}
			for _, tc := range []struct {
				name   string
				config map[string]tftypes.Value
				prior  map[string]tftypes.Value
				path   string
				want   []string
			}{
				{name: "empty name", config: map[string]tftypes.Value{"name": str("")},
					path: "name", want: []string{"Empty name", `name is "": Bifrost refuses a customer without a name`}},
				{name: "two budgets on v1.5.1", config: two,
					path: "budgets", want: []string{"Several customer budgets need Bifrost ≥ 2.0", "budgets has 2 budgets", "runs Bifrost v1.5.1", "one budget per customer"}},
				{name: "two budgets on v1.5.1, update", config: two,
					prior: map[string]tftypes.Value{"id": str("c-1"), "name": str("c")},
					path:  "budgets", want: []string{"Several customer budgets need Bifrost ≥ 2.0", "runs Bifrost v1.5.1"}},
				{name: "negative budget", config: map[string]tftypes.Value{"name": str("c"), "budgets": s.Budgets(t, [2]any{-1.0, "1d"})},
					path: "budgets" + acctest.SetElem + `\.max_limit`, want: []string{"Invalid budget max_limit", "max_limit is -1"}},
				{name: "zero reset duration", config: map[string]tftypes.Value{"name": str("c"), "budgets": s.Budgets(t, [2]any{1.0, "0d"})},
					path: "budgets" + acctest.SetElem + `\.reset_duration`, want: []string{"Invalid reset duration", `"0d" is 0s`}},
				{name: "words as a duration", config: map[string]tftypes.Value{"name": str("c"), "budgets": s.Budgets(t, [2]any{1.0, "monthly"})},
					path: "budgets" + acctest.SetElem + `\.reset_duration`, want: []string{`"monthly" is not a duration Bifrost reads`}},
				{name: "request duration without its limit", config: map[string]tftypes.Value{"name": str("c"),
					"rate_limit": s.RateLimit(t, map[string]tftypes.Value{"request_reset_duration": str("1h")})},
					path: `rate_limit\.request_max_limit`, want: []string{"Missing rate limit max limit", `request_reset_duration is "1h" but request_max_limit is not set`}},
				{name: "negative token limit", config: map[string]tftypes.Value{"name": str("c"),
					"rate_limit": s.RateLimit(t, map[string]tftypes.Value{"token_max_limit": num(-5), "token_reset_duration": str("1h")})},
					path: `rate_limit\.token_max_limit`, want: []string{"Invalid rate limit", "token_max_limit is -5"}},
				{name: "bad rate limit duration", config: map[string]tftypes.Value{"name": str("c"),
					"rate_limit": s.RateLimit(t, map[string]tftypes.Value{"token_max_limit": num(5), "token_reset_duration": str("1y")})},
					path: `rate_limit\.token_reset_duration`, want: []string{"Invalid reset duration", "lower-case m is minutes"}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					acctest.ExpectOneDiagOn(t, plan(t, ps, tc.config, tc.prior), errSev, tc.path, tc.want...)
				})
			}
		})
	}
}
