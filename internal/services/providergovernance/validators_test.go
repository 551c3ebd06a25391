package providergovernance_test

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

// The plan-time checks of bifrost_provider_governance, at the protocol
// level, against a v1.5.1 emulator that has the provider openai.

const typeName = "bifrost_provider_governance"

var (
	str = governancetest.Str
	num = governancetest.Num
)

func TestBadInputs_providerServer(t *testing.T) {
	emu, _ := acctest.StartEmulator(t, emulator.Options{Providers: []string{"openai"}})
	ps := acctest.NewProtocolServer(t, emu.URL())
	s := governancetest.NewShape(t, ps, typeName)
	oneBudget := s.Budgets(t, [2]any{10.0, "1M"})
	errSev, warnSev := tfprotov6.DiagnosticSeverityError, tfprotov6.DiagnosticSeverityWarning
	for _, tc := range []struct {
		name     string
		config   map[string]tftypes.Value
		severity tfprotov6.DiagnosticSeverity
		path     string
		want     []string
	}{
		{name: "empty provider_name", config: map[string]tftypes.Value{"provider_name": str(""), "budgets": oneBudget}, severity: errSev,
			path: "provider_name", want: []string{"Empty provider_name", `provider_name is "": name the Bifrost provider`}},
		{name: "no limits", config: map[string]tftypes.Value{"provider_name": str("openai")}, severity: errSev,
			path: "", want: []string{"Missing Attribute Configuration", "budgets", "rate_limit"}},
		{name: "several budgets on v1.5.1", config: map[string]tftypes.Value{"provider_name": str("openai"), "budgets": s.Budgets(t, [2]any{10.0, "1d"}, [2]any{20.0, "1M"})},
			severity: errSev, path: "budgets", want: []string{"Several provider budgets need Bifrost ≥ 2.0", "budgets has 2 budgets", "runs Bifrost v1.5.1"}},
		{name: "request limit of 0", config: map[string]tftypes.Value{"provider_name": str("openai"),
			"rate_limit": s.RateLimit(t, map[string]tftypes.Value{"request_max_limit": num(0), "request_reset_duration": str("1m")})}, severity: errSev,
			path: `rate_limit\.request_max_limit`, want: []string{"Invalid rate limit", "request_max_limit is 0"}},
		{name: "empty rate limit", config: map[string]tftypes.Value{"provider_name": str("openai"), "rate_limit": s.RateLimit(t, nil)}, severity: errSev,
			path: "rate_limit", want: []string{"Empty rate limit", "rate_limit sets no limit"}},
		{name: "unknown provider", config: map[string]tftypes.Value{"provider_name": str("mistral"), "budgets": oneBudget}, severity: warnSev,
			path: "provider_name", want: []string{"Provider not found", `has no provider named "mistral" yet`, "unless this plan creates it"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			acctest.ExpectOneDiagOn(t, ps.PlanDiags(t, typeName, tc.config, nil, "id"), tc.severity, tc.path, tc.want...)
		})
	}
	if diags := ps.PlanDiags(t, typeName, map[string]tftypes.Value{"provider_name": str("openai"), "budgets": oneBudget}, nil, "id"); len(diags) != 0 {
		t.Errorf("a valid provider governance got diagnostics:%s", acctest.RenderDiags(diags))
	}
}

// TestImport_providerServer imports by provider name and by identity, and
// checks the error for a provider without limits.
func TestImport_providerServer(t *testing.T) {
	emu, client := acctest.StartEmulator(t, emulator.Options{Providers: []string{"openai", "anthropic"}})
	limit, reset := 10.0, "1M"
	if _, err := client.PutProviderGovernance(context.Background(), "openai", bifrost.ProviderGovernanceUpdate{
		Budget: &bifrost.BudgetPatch{MaxLimit: &limit, ResetDuration: &reset},
	}); err != nil {
		t.Fatal(err)
	}
	im := acctest.NewImporter(t, emu.URL(), typeName)
	imp := func(id, identProvider string) (string, string, []*tfprotov6.Diagnostic) {
		var ident *tfprotov6.ResourceIdentityData
		if id == "" {
			ident = im.Identity(t, map[string]tftypes.Value{"provider_name": str(identProvider)})
		}
		got, key, diags := im.Import(t, id, ident)
		if key == nil {
			return got, "", diags
		}
		return got, acctest.Str(t, key["provider_name"]), diags
	}
	for label, in := range map[string][2]string{"by name": {"openai", ""}, "by identity": {"", "openai"}} {
		t.Run(label, func(t *testing.T) {
			id, ident, diags := imp(in[0], in[1])
			if acctest.HasErrors(diags) || id != "openai" || ident != "openai" {
				t.Errorf("imported %q (identity %q):%s", id, ident, acctest.RenderDiags(diags))
			}
		})
	}
	t.Run("provider without limits", func(t *testing.T) {
		_, _, diags := imp("anthropic", "")
		acctest.ExpectOneDiag(t, diags, tfprotov6.DiagnosticSeverityError, "", []string{"No limits for that provider", `provider named "anthropic"`}, nil)
	})
}

// TestDeleteGone_providerServer: clearing the limits of a provider Bifrost
// no longer has (v1.5.1's 404) succeeds without a diagnostic.
func TestDeleteGone_providerServer(t *testing.T) {
	emu, _ := acctest.StartEmulator(t, emulator.Options{})
	im := acctest.NewImporter(t, emu.URL(), typeName)
	im.DestroyGone(t, emu, map[string]tftypes.Value{"id": str("gone"), "provider_name": str("gone")}, "/api/governance/providers/gone")
}
