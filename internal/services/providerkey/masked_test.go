package providerkey_test

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

// TestPlanRefusesErasingMaskedSecrets: after an import (or with generated
// configuration) the state holds Bifrost's masks; a configuration that
// leaves such a secret empty must not plan an update that erases it (a key
// update replaces the whole key), while one that sets it, or that leaves an
// empty value empty, plans.
func TestPlanRefusesErasingMaskedSecrets(t *testing.T) {
	ps, srv := validationServer(t, "v1.5.1")
	s := newKeyShape(t, ps)
	mask := bifrost.Mask(okSecret)
	imported := func(attrs map[string]tftypes.Value) map[string]tftypes.Value {
		st := map[string]tftypes.Value{
			"id": str("k-1"), "provider_name": str("azure"), "name": str("k"), "value": str(mask),
			"weight": num(1), "enabled": boolean(true), "use_for_batch_api": boolean(false),
			"models": strSet("*"), "blacklisted_models": strSet(), "use_anthropic_endpoints": boolean(false),
			"value_env_var": str(""), "value_from_env": boolean(false),
			"config_hash": str(""), "status": str(""), "description": str(""),
		}
		for n, v := range attrs {
			st[n] = v
		}
		return st
	}
	azure := func(secret string) tftypes.Value {
		return s.block(t, "azure_key_config", map[string]tftypes.Value{
			"endpoint": str("https://res.openai.azure.com"), "client_secret": str(secret),
		})
	}
	for _, tc := range []struct {
		name   string
		state  map[string]tftypes.Value
		config map[string]tftypes.Value
		path   string
	}{
		{
			name:   "value left null after an import",
			state:  imported(nil),
			config: map[string]tftypes.Value{"provider_name": str("azure"), "name": str("k"), "value": nullString()},
			path:   "value",
		},
		{
			name:   "value set to empty after an import",
			state:  imported(nil),
			config: map[string]tftypes.Value{"provider_name": str("azure"), "name": str("k"), "value": str("")},
			path:   "value",
		},
		{
			name:  "block secret left null after an import",
			state: imported(map[string]tftypes.Value{"value": str(""), "azure_key_config": azure(bifrost.Mask("client-secret-0123456789"))}),
			config: map[string]tftypes.Value{"provider_name": str("azure"), "name": str("k"), "value": str(""),
				"azure_key_config": azure("")},
			path: "azure_key_config.client_secret",
		},
		{
			name:   "value given",
			state:  imported(nil),
			config: map[string]tftypes.Value{"provider_name": str("azure"), "name": str("k"), "value": str(okSecret)},
		},
		{
			name:   "an empty value stays empty",
			state:  imported(map[string]tftypes.Value{"value": str("")}),
			config: map[string]tftypes.Value{"provider_name": str("azure"), "name": str("k"), "value": str("")},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			diags := planUpdate(t, ps, tc.state, tc.config)
			if tc.path == "" {
				expectNoDiags(t, diags)
				return
			}
			expectOneError(t, diags, tc.path, []string{"Secret known only by its mask", "would erase the secret",
				"Set " + tc.path}, []string{okSecret})
		})
	}
	expectNoWrites(t, srv)
}

// planUpdate is PlanResourceChange of an existing key (state) to config, as
// Terraform asks it.
func planUpdate(t *testing.T, ps *acctest.ProtocolServer, state, config map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	t.Helper()
	typ := ps.ResourceType(typeName)
	st, cfg := ps.Value(t, typ, state), ps.Value(t, typ, config)
	// Terraform proposes the configuration, with the state's computed values.
	proposedAttrs := map[string]tftypes.Value{}
	for n, v := range state {
		proposedAttrs[n] = v
	}
	for n, v := range config {
		proposedAttrs[n] = v
	}
	proposed := ps.Value(t, typ, proposedAttrs)
	resp, err := ps.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{
		TypeName: typeName, Config: &cfg, PriorState: &st, ProposedNewState: &proposed,
	})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Diagnostics
}
