package pricingoverride_test

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

func create(t *testing.T, c *bifrost.Client, name string) *bifrost.PricingOverride {
	t.Helper()
	o, err := c.CreatePricingOverride(context.Background(), bifrost.PricingOverrideCreate{
		Name: name, ScopeKind: "global", MatchType: "wildcard", Pattern: "gpt-*", RequestTypes: []string{"chat_completion"},
		Patch: bifrost.PricingPatch{"input_cost_per_token": 1e-6},
	})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// goneState is the state of an override Bifrost no longer has.
func goneState(t *testing.T, im *acctest.Importer) map[string]tftypes.Value {
	typ, ok := im.ResourceType(typeName).(tftypes.Object)
	if !ok {
		t.Fatal("not an object")
	}
	return map[string]tftypes.Value{
		"id": str("gone-id"), "name": str("gone"), "scope_kind": str("global"), "match_type": str("exact"), "pattern": str("m"),
		"request_types": tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{str("chat_completion")}),
		"patch":         acctest.ObjectValue(t, typ.AttributeTypes["patch"], nil),
	}
}

// TestImport_providerServer imports by id, by an unambiguous name and by
// identity, and checks the errors of a name several overrides have and of
// an unknown name.
func TestImport_providerServer(t *testing.T) {
	emu, client := acctest.StartEmulator(t, emulator.Options{})
	o := create(t, client, "contract")
	twin1, twin2 := create(t, client, "twin"), create(t, client, "twin")
	im := acctest.NewImporter(t, emu.URL(), typeName)
	im.ExpectImports(t, o.ID, map[string][2]string{"by id": {o.ID, ""}, "by name": {"name=contract", ""}, "by identity": {"", o.ID}})
	t.Run("ambiguous name", func(t *testing.T) {
		_, diags := im.ImportID(t, "name=twin", "")
		acctest.ExpectOneDiag(t, diags, tfprotov6.DiagnosticSeverityError, "",
			[]string{"Several pricing overrides have that name", twin1.ID, twin2.ID, "names are not unique"}, nil)
	})
	t.Run("unknown name", func(t *testing.T) {
		_, diags := im.ImportID(t, "name=nobody", "")
		acctest.ExpectOneDiag(t, diags, tfprotov6.DiagnosticSeverityError, "",
			[]string{"No pricing override with that name", `no pricing override named "nobody" (3 pricing overrides listed)`, "by its id"}, nil)
	})
}

// TestReadGone_providerServer: an override deleted outside Terraform (not
// in the list: there is no GET by id) is removed from the state with a
// warning, its identity still set.
func TestReadGone_providerServer(t *testing.T) {
	emu, client := acctest.StartEmulator(t, emulator.Options{})
	create(t, client, "other")
	im := acctest.NewImporter(t, emu.URL(), typeName)
	diags := im.ReadGone(t, goneState(t, im))
	acctest.ExpectOneDiag(t, diags, tfprotov6.DiagnosticSeverityWarning, "",
		[]string{"Pricing override not found", `The pricing override "gone" (id gone-id) no longer exists`, "removed from the state"}, nil)
	if n := emu.Count(http.MethodGet, "/api/governance/pricing-overrides/"); n != 0 {
		t.Errorf("%d GETs by id sent: the server has no such route", n)
	}
}

// TestDeleteGone_providerServer: deleting an override that is already gone
// (404) succeeds without a diagnostic.
func TestDeleteGone_providerServer(t *testing.T) {
	emu, _ := acctest.StartEmulator(t, emulator.Options{})
	im := acctest.NewImporter(t, emu.URL(), typeName)
	im.DestroyGone(t, emu, goneState(t, im), "/api/governance/pricing-overrides/gone-id")
}

// TestAccPricingOverride_importByIdentity imports with an import block by
// resource identity (Terraform ≥ 1.12; TestImport_providerServer covers
// the same path on older CLIs).
func TestAccPricingOverride_importByIdentity(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		s := spec{name: acctest.Name("pricing-ident"), scopeKind: "provider", provider: "openai", matchType: "exact", pattern: "gpt-4o",
			requestTypes: []string{"embedding"}, patch: "    input_cost_per_token = 0.0000001"}
		acctest.RunImportByIdentity(t, s.config(tg), addr, checkDestroyed(tg))
	})
}

// TestAccPricingOverride_createNotGuessed: the create's answer is lost
// after Bifrost stored the override. Nothing of an override is unique, so
// the provider neither retries nor adopts: the error names the stored
// candidate and how to import it, and exactly one override exists.
func TestAccPricingOverride_createNotGuessed(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		emu := tg.NeedEmulator(t)
		name := acctest.Name("pricing-once")
		named := func() []bifrost.PricingOverride {
			all, err := tg.Client.ListPricingOverrides(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			var out []bifrost.PricingOverride
			for _, o := range all {
				if o.Name == name {
					out = append(out, o)
				}
			}
			return out
		}
		t.Cleanup(func() {
			for _, o := range named() {
				_ = tg.Client.DeletePricingOverride(context.Background(), o.ID)
			}
		})
		s := spec{name: name, scopeKind: "global", matchType: "wildcard", pattern: "gpt-*", requestTypes: []string{"chat_completion"},
			patch: "    output_cost_per_token = 0.00001"}
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			Steps: []resource.TestStep{{
				PreConfig: func() { emu.DropAfterStore(1, http.MethodPost) },
				Config:    s.config(tg),
				ExpectError: regexp.MustCompile(`Pricing override create failed; it may have been stored(.|\n)*1 pricing override(.|\n)*named(.|\n)*` +
					`terraform import(.|\n)*bifrost_pricing_override.<name>`),
			}},
		})
		if got := named(); len(got) != 1 {
			t.Errorf("%d overrides named %s, want exactly 1 (no retried create)", len(got), name)
		}
		if posts := emu.Count(http.MethodPost, "/api/governance/pricing-overrides"); posts != 1 {
			t.Errorf("%d override creates sent, want 1", posts)
		}
	})
}
