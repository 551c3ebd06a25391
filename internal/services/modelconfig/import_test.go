package modelconfig_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// importer drives imports of bifrost_model_config through the provider
// server, as Terraform ≥ 1.12 does (its identity is the natural key, not
// an id: acctest.Importer does not fit).
type importer struct {
	ps        *acctest.ProtocolServer
	identType tftypes.Type
}

func newImporter(t *testing.T, endpoint string) importer {
	t.Helper()
	ps := acctest.NewProtocolServer(t, endpoint)
	ids, err := ps.GetResourceIdentitySchemas(context.Background(), &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil || acctest.HasErrors(ids.Diagnostics) {
		t.Fatalf("GetResourceIdentitySchemas: %v %v", err, acctest.Diags(ids.Diagnostics))
	}
	return importer{ps: ps, identType: ids.IdentitySchemas[typeName].ValueType()}
}

func (im importer) identity(t *testing.T, model, provider string) *tfprotov6.ResourceIdentityData {
	t.Helper()
	attrs := map[string]tftypes.Value{"model_name": str(model)}
	if provider != "" {
		attrs["provider_name"] = str(provider)
	}
	dv := im.ps.Value(t, im.identType, attrs)
	return &tfprotov6.ResourceIdentityData{IdentityData: &dv}
}

// importOf imports by id (or by identity when ident is set): the imported
// id and identity (model, provider).
func (im importer) importOf(t *testing.T, id string, ident *tfprotov6.ResourceIdentityData) (string, [2]string, []*tfprotov6.Diagnostic) {
	t.Helper()
	resp, err := im.ps.ImportResourceState(context.Background(), &tfprotov6.ImportResourceStateRequest{TypeName: typeName, ID: id, Identity: ident})
	if err != nil {
		t.Fatal(err)
	}
	if acctest.HasErrors(resp.Diagnostics) {
		return "", [2]string{}, resp.Diagnostics
	}
	r := resp.ImportedResources[0]
	if r.Identity == nil {
		t.Fatal("import set no identity")
	}
	got := acctest.Attrs(t, im.identType, r.Identity.IdentityData)
	return acctest.Str(t, acctest.Attrs(t, im.ps.ResourceType(typeName), r.State)["id"]),
		[2]string{acctest.Str(t, got["model_name"]), acctest.Str(t, got["provider_name"])}, resp.Diagnostics
}

// TestImport_providerServer imports by id, by natural key (with and
// without a provider) and by identity, and checks the errors of an unknown
// key and id.
func TestImport_providerServer(t *testing.T) {
	emu, client := acctest.StartEmulator(t, emulator.Options{})
	ctx := context.Background()
	openai, err := client.CreateModelConfig(ctx, bifrost.ModelConfigCreate{ModelName: "gpt-4o", Provider: ptr("openai")})
	if err != nil {
		t.Fatal(err)
	}
	global, err := client.CreateModelConfig(ctx, bifrost.ModelConfigCreate{ModelName: "gpt-4o"})
	if err != nil {
		t.Fatal(err)
	}
	im := newImporter(t, emu.URL())
	for _, tc := range []struct {
		label, id                  string
		identModel, identProvider  string
		wantID, wantModel, wantPrv string
	}{
		{"by id", openai.ID, "", "", openai.ID, "gpt-4o", "openai"},
		{"by natural key", "provider=openai,model=gpt-4o", "", "", openai.ID, "gpt-4o", "openai"},
		{"by natural key, all providers", "model=gpt-4o", "", "", global.ID, "gpt-4o", ""},
		{"by identity", "", "gpt-4o", "openai", openai.ID, "gpt-4o", "openai"},
		{"by identity, all providers", "", "gpt-4o", "", global.ID, "gpt-4o", ""},
	} {
		t.Run(tc.label, func(t *testing.T) {
			var ident *tfprotov6.ResourceIdentityData
			if tc.id == "" {
				ident = im.identity(t, tc.identModel, tc.identProvider)
			}
			id, key, diags := im.importOf(t, tc.id, ident)
			if acctest.HasErrors(diags) || id != tc.wantID || key != [2]string{tc.wantModel, tc.wantPrv} {
				t.Errorf("imported %q %v, want %q [%s %s]:%s", id, key, tc.wantID, tc.wantModel, tc.wantPrv, acctest.RenderDiags(diags))
			}
		})
	}
	t.Run("unknown natural key", func(t *testing.T) {
		_, _, diags := im.importOf(t, "provider=anthropic,model=gpt-4o", nil)
		acctest.ExpectOneDiag(t, diags, tfprotov6.DiagnosticSeverityError, "",
			[]string{"No model config with that model and provider", `model "gpt-4o" on provider "anthropic" (2 model configs listed)`}, nil)
	})
	t.Run("unknown id", func(t *testing.T) {
		_, _, diags := im.importOf(t, "nope", nil)
		acctest.ExpectOneDiag(t, diags, tfprotov6.DiagnosticSeverityError, "", []string{"Model config not found", `no model config with id "nope"`}, nil)
	})
}

// TestReadGone_providerServer: a model config deleted outside Terraform is
// removed from the state with a warning, its identity still set.
func TestReadGone_providerServer(t *testing.T) {
	emu, _ := acctest.StartEmulator(t, emulator.Options{})
	im := newImporter(t, emu.URL())
	typ := im.ps.ResourceType(typeName)
	cur := im.ps.Value(t, typ, map[string]tftypes.Value{"id": str("gone-id"), "model_name": str("gpt-4o"), "provider_name": str("openai")})
	resp, err := im.ps.ReadResource(context.Background(), &tfprotov6.ReadResourceRequest{
		TypeName: typeName, CurrentState: &cur, CurrentIdentity: im.identity(t, "gpt-4o", "openai"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if v, err := resp.NewState.Unmarshal(typ); err != nil || !v.IsNull() {
		t.Errorf("new state %v (%v), want null", v, err)
	}
	if resp.NewIdentity == nil {
		t.Error("no identity after removing the model config")
	}
	acctest.ExpectOneDiag(t, resp.Diagnostics, tfprotov6.DiagnosticSeverityWarning, "",
		[]string{"Model config not found", `model "gpt-4o" on provider "openai" (id gone-id) no longer exists`, "removed from the state"}, nil)
}

// TestDeleteGone_providerServer: deleting a model config that is already
// gone (404) succeeds without a diagnostic.
func TestDeleteGone_providerServer(t *testing.T) {
	emu, _ := acctest.StartEmulator(t, emulator.Options{})
	im := acctest.NewImporter(t, emu.URL(), typeName)
	if diags := im.Destroy(t, map[string]tftypes.Value{"id": str("gone-id"), "model_name": str("m")}); len(diags) != 0 {
		t.Errorf("delete of a gone model config:%s", acctest.RenderDiags(diags))
	}
	if n := emu.Count("DELETE", "/api/governance/model-configs/gone-id"); n != 1 {
		t.Errorf("%d DELETE requests, want 1", n)
	}
}

// TestAccModelConfig_createOnce: the create's answer is lost after Bifrost
// stored the model config; the provider adopts the one of exactly that
// natural key created since the attempt instead of failing or creating a
// second one.
func TestAccModelConfig_createOnce(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		emu := tg.NeedEmulator(t)
		model := acctest.Name("mc-once")
		cfg := mcConfig(tg, model, openAI1)
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps: []resource.TestStep{{
				PreConfig: func() { emu.DropAfterStore(1, http.MethodPost) },
				Config:    cfg,
				Check: func(s *terraform.State) error {
					all, err := tg.Client.ListModelConfigs(acctest.Ctx(t))
					if err != nil {
						return err
					}
					n := 0
					for _, mc := range all {
						if mc.ModelName == model {
							n++
							if mc.ID != s.RootModule().Resources[addr].Primary.ID {
								return fmt.Errorf("state holds another model config than the one stored")
							}
						}
					}
					if n != 1 {
						return fmt.Errorf("%d model configs for %s, want 1", n, model)
					}
					for _, r := range emu.Requests() {
						if r.Method == http.MethodPost && r.Path == "/api/governance/model-configs" && r.Status == 0 {
							return nil
						}
					}
					return fmt.Errorf("no model config create went unanswered: the test did not exercise the lost answer")
				},
			}},
		})
	})
}

// TestAccModelConfig_takenAtApply: a model config of that natural key
// exists already; the plan only warns, and the create's 409 fails on
// model_name with the import hint, without adopting it.
func TestAccModelConfig_takenAtApply(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		model := acctest.Name("mc-taken")
		var otherID string
		t.Cleanup(func() {
			if otherID != "" {
				_ = tg.Client.DeleteModelConfig(context.Background(), otherID)
			}
		})
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			Steps: []resource.TestStep{{
				PreConfig: func() {
					mc, err := tg.Client.CreateModelConfig(acctest.Ctx(t), bifrost.ModelConfigCreate{ModelName: model, Provider: ptr("openai")})
					if err != nil {
						t.Fatal(err)
					}
					otherID = mc.ID
				},
				Config:      mcConfig(tg, model, noLimits),
				ExpectError: regexp.MustCompile(`Model config already exists(.|\n)*terraform import(.|\n)*bifrost_model_config`),
			}},
		})
	})
}
