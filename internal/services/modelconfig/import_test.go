package modelconfig_test

import (
	"context"
	"net/http"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// identity is the resource identity of a model config: its natural key
// (model, provider; "" for all providers).
func identity(t *testing.T, im *acctest.Importer, model, provider string) *tfprotov6.ResourceIdentityData {
	t.Helper()
	attrs := map[string]tftypes.Value{"model_name": str(model)}
	if provider != "" {
		attrs["provider_name"] = str(provider)
	}
	return im.Identity(t, attrs)
}

// importOf imports by id (or by identity when ident is set): the imported
// id and identity (model, provider).
func importOf(t *testing.T, im *acctest.Importer, id string, ident *tfprotov6.ResourceIdentityData) (string, [2]string, []*tfprotov6.Diagnostic) {
	t.Helper()
	got, key, diags := im.Import(t, id, ident)
	if key == nil {
		return got, [2]string{}, diags
	}
	return got, [2]string{acctest.Str(t, key["model_name"]), acctest.Str(t, key["provider_name"])}, diags
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
	im := acctest.NewImporter(t, emu.URL(), typeName)
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
				ident = identity(t, im, tc.identModel, tc.identProvider)
			}
			id, key, diags := importOf(t, im, tc.id, ident)
			if acctest.HasErrors(diags) || id != tc.wantID || key != [2]string{tc.wantModel, tc.wantPrv} {
				t.Errorf("imported %q %v, want %q [%s %s]:%s", id, key, tc.wantID, tc.wantModel, tc.wantPrv, acctest.RenderDiags(diags))
			}
		})
	}
	t.Run("unknown natural key", func(t *testing.T) {
		_, _, diags := importOf(t, im, "provider=anthropic,model=gpt-4o", nil)
		acctest.ExpectOneDiag(t, diags, tfprotov6.DiagnosticSeverityError, "",
			[]string{"No model config with that model and provider", `model "gpt-4o" on provider "anthropic" (2 model configs listed)`}, nil)
	})
	t.Run("unknown id", func(t *testing.T) {
		_, _, diags := importOf(t, im, "nope", nil)
		acctest.ExpectOneDiag(t, diags, tfprotov6.DiagnosticSeverityError, "", []string{"Model config not found", `no model config with id "nope"`}, nil)
	})
}

// TestReadGone_providerServer: a model config deleted outside Terraform is
// removed from the state with a warning, its identity still set.
func TestReadGone_providerServer(t *testing.T) {
	emu, _ := acctest.StartEmulator(t, emulator.Options{})
	im := acctest.NewImporter(t, emu.URL(), typeName)
	diags := im.ReadGoneAs(t, map[string]tftypes.Value{"id": str("gone-id"), "model_name": str("gpt-4o"), "provider_name": str("openai")},
		identity(t, im, "gpt-4o", "openai"))
	acctest.ExpectOneDiag(t, diags, tfprotov6.DiagnosticSeverityWarning, "",
		[]string{"Model config not found", `model "gpt-4o" on provider "openai" (id gone-id) no longer exists`, "removed from the state"}, nil)
}

// TestDeleteGone_providerServer: deleting a model config that is already
// gone (404) succeeds without a diagnostic.
func TestDeleteGone_providerServer(t *testing.T) {
	emu, _ := acctest.StartEmulator(t, emulator.Options{})
	im := acctest.NewImporter(t, emu.URL(), typeName)
	im.DestroyGone(t, emu, map[string]tftypes.Value{"id": str("gone-id"), "model_name": str("m")}, "/api/governance/model-configs/gone-id")
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
				Check: acctest.CheckCreatedOnce(t, emu, addr, "/api/governance/model-configs", "model config", tg.Client.ListModelConfigs,
					func(mc *bifrost.ModelConfig) bool { return mc.ModelName == model }, func(mc *bifrost.ModelConfig) string { return mc.ID }),
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
