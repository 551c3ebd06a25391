package modelconfig_test

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/governance/governancetest"
)

// The plan-time checks of bifrost_model_config, driven at the protocol
// level as Terraform drives them (validate, then plan), against a v1.5.1
// emulator: what a user sees (severity, attribute, text).

const typeName = "bifrost_model_config"

var (
	str = governancetest.Str
	num = governancetest.Num
)

func plan(t *testing.T, ps *acctest.ProtocolServer, config, prior map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	t.Helper()
	return ps.PlanDiags(t, typeName, config, prior, "id")
}

func TestBadInputs_providerServer(t *testing.T) {
	emu, client := acctest.StartEmulator(t, emulator.Options{})
	taken, err := client.CreateModelConfig(context.Background(), bifrost.ModelConfigCreate{ModelName: "gpt-4o", Provider: ptr("openai")})
	if err != nil {
		t.Fatal(err)
	}
	ps := acctest.NewProtocolServer(t, emu.URL())
	s := governancetest.NewShape(t, ps, typeName)
	errSev, warnSev := tfprotov6.DiagnosticSeverityError, tfprotov6.DiagnosticSeverityWarning
	for _, tc := range []struct {
		name     string
		config   map[string]tftypes.Value
		prior    map[string]tftypes.Value
		severity tfprotov6.DiagnosticSeverity
		path     string
		want     []string
	}{
		{name: "empty model_name", config: map[string]tftypes.Value{"model_name": str("")}, severity: errSev,
			path: "model_name", want: []string{"Empty model_name", `model_name is "": Bifrost refuses a model config without a model name`}},
		{name: "empty provider_name", config: map[string]tftypes.Value{"model_name": str("m"), "provider_name": str("")}, severity: errSev,
			path: "provider_name", want: []string{"Empty provider_name", "To limit the model on all providers, remove provider_name"}},
		{name: "several budgets on v1.5.1", config: map[string]tftypes.Value{"model_name": str("m"), "budgets": s.Budgets(t, [2]any{10.0, "1d"}, [2]any{20.0, "1w"})},
			severity: errSev, path: "budgets", want: []string{"Several model config budgets need Bifrost ≥ 2.0", "budgets has 2 budgets", "runs Bifrost v1.5.1"}},
		{name: "budget of 0", config: map[string]tftypes.Value{"model_name": str("m"), "budgets": s.Budgets(t, [2]any{0.0, "1d"})}, severity: errSev,
			path: "budgets" + acctest.SetElem + `\.max_limit`, want: []string{"Invalid budget max_limit", "max_limit is 0"}},
		{name: "bad reset duration", config: map[string]tftypes.Value{"model_name": str("m"), "budgets": s.Budgets(t, [2]any{10.0, "1x"})}, severity: errSev,
			path: "budgets" + acctest.SetElem + `\.reset_duration`, want: []string{"Invalid reset duration", `"1x" is not a duration Bifrost reads`}},
		{name: "token limit without duration", config: map[string]tftypes.Value{"model_name": str("m"),
			"rate_limit": s.RateLimit(t, map[string]tftypes.Value{"token_max_limit": num(100)})}, severity: errSev,
			path: `rate_limit\.token_reset_duration`, want: []string{"Missing rate limit reset duration", "token_max_limit is 100 but token_reset_duration is not set"}},
		{name: "change to a taken natural key", config: map[string]tftypes.Value{"model_name": str("gpt-4o"), "provider_name": str("openai")},
			prior:    map[string]tftypes.Value{"id": str("some-other-id"), "model_name": str("gpt-4o"), "provider_name": str("anthropic")},
			severity: errSev, path: "model_name", want: []string{"Model config already exists", `model "gpt-4o" on provider "openai" (id ` + taken.ID + ")",
				`terraform import bifrost_model_config.<name> "provider=openai,model=gpt-4o"`}},
		{name: "create with a taken natural key", config: map[string]tftypes.Value{"model_name": str("gpt-4o"), "provider_name": str("openai")}, severity: warnSev,
			path: "model_name", want: []string{"Model config already exists", "Unless this plan replaces that model config, creating this one will fail"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			acctest.ExpectOneDiagOn(t, plan(t, ps, tc.config, tc.prior), tc.severity, tc.path, tc.want...)
		})
	}
	// What passes: no diagnostics at all (the same model on all providers
	// is another natural key).
	if diags := plan(t, ps, map[string]tftypes.Value{"model_name": str("gpt-4o"), "budgets": s.Budgets(t, [2]any{1.5, "1.5d"}),
		"rate_limit": s.RateLimit(t, map[string]tftypes.Value{"token_max_limit": num(1), "token_reset_duration": str("30s")})}, nil); len(diags) != 0 {
		t.Errorf("a valid model config got diagnostics:%s", acctest.RenderDiags(diags))
	}
}

func ptr[T any](v T) *T { return &v }
