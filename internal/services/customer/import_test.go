package customer_test

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

// TestImport_providerServer imports by id, by identity and by a name one
// customer has; a name several customers have (v1.5.1 allows it) is
// refused with their ids.
func TestImport_providerServer(t *testing.T) {
	emu, client := acctest.StartEmulator(t, emulator.Options{})
	ctx := context.Background()
	var cs []*bifrost.Customer
	for _, name := range []string{"acme", "twin", "twin"} {
		cu, err := client.CreateCustomer(ctx, bifrost.CustomerCreate{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		cs = append(cs, cu)
	}
	im := acctest.NewImporter(t, emu.URL(), typeName)
	for label, in := range map[string][2]string{"by id": {cs[0].ID, ""}, "by unique name": {"name=acme", ""}, "by identity": {"", cs[0].ID}} {
		t.Run(label, func(t *testing.T) {
			got, diags := im.ImportID(t, in[0], in[1])
			if acctest.HasErrors(diags) || got != cs[0].ID {
				t.Errorf("imported %q, want %q:%s", got, cs[0].ID, acctest.RenderDiags(diags))
			}
		})
	}
	t.Run("ambiguous name", func(t *testing.T) {
		_, diags := im.ImportID(t, "name=twin", "")
		acctest.ExpectOneDiag(t, diags, tfprotov6.DiagnosticSeverityError, "", []string{"Several customers have that name",
			`2 customers are named "twin"`, "import the one you mean by its id", cs[1].ID, cs[2].ID}, nil)
	})
	t.Run("unknown name", func(t *testing.T) {
		_, diags := im.ImportID(t, "name=nobody", "")
		acctest.ExpectOneDiag(t, diags, tfprotov6.DiagnosticSeverityError, "", []string{"No customer with that name", `no customer named "nobody" (3 customers listed)`}, nil)
	})
}

// TestReadGone_providerServer: a customer deleted outside Terraform is
// removed from the state with a warning, its identity still set.
func TestReadGone_providerServer(t *testing.T) {
	emu, _ := acctest.StartEmulator(t, emulator.Options{})
	im := acctest.NewImporter(t, emu.URL(), typeName)
	diags := im.ReadGone(t, map[string]tftypes.Value{"id": str("gone-id"), "name": str("gone")})
	acctest.ExpectOneDiag(t, diags, tfprotov6.DiagnosticSeverityWarning, "", []string{"Customer not found", `The customer "gone" (id gone-id) no longer exists`, "removed from the state"}, nil)
}

// TestAccCustomer_importByIdentity imports with an import block by resource
// identity (Terraform ≥ 1.12; TestImport_providerServer covers it on older
// CLIs).
func TestAccCustomer_importByIdentity(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		cfg := customerConfig(tg, acctest.Name("customer-ident"), limits1)
		acctest.RunImportByIdentity(t, cfg, addr, checkDestroyed(tg))
	})
}

// TestAccCustomer_createNotGuessed: the create's answer is lost after
// Bifrost stored the customer. Customer names are not unique, so the
// provider neither retries nor adopts: the error names the stored
// candidate and how to import it, and exactly one customer exists.
func TestAccCustomer_createNotGuessed(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		emu := tg.NeedEmulator(t)
		name := acctest.Name("customer-once")
		t.Cleanup(func() {
			all, _ := tg.Client.ListCustomers(context.Background())
			for _, cu := range all {
				if cu.Name == name {
					_ = tg.Client.DeleteCustomer(context.Background(), cu.ID)
				}
			}
		})
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			Steps: []resource.TestStep{{
				PreConfig: func() { emu.DropAfterStore(1, http.MethodPost) },
				Config:    customerConfig(tg, name, ""),
				ExpectError: regexp.MustCompile(`Customer create failed; it may have been stored(.|\n)*1 customer named(.|\n)*` +
					`terraform import(.|\n)*bifrost_customer.<name>`),
			}},
		})
		all, err := tg.Client.ListCustomers(acctest.Ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, cu := range all {
			if cu.Name == name {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d customers named %s, want exactly 1 (no retried create)", n, name)
		}
		if posts := emu.Count(http.MethodPost, "/api/governance/customers"); posts != 1 {
			t.Errorf("%d customer creates sent, want 1", posts)
		}
	})
}

// TestDeleteGone_providerServer: deleting a customer that is already gone
// (404) succeeds without a diagnostic.
func TestDeleteGone_providerServer(t *testing.T) {
	emu, _ := acctest.StartEmulator(t, emulator.Options{})
	im := acctest.NewImporter(t, emu.URL(), typeName)
	if diags := im.Destroy(t, map[string]tftypes.Value{"id": str("gone-id"), "name": str("gone")}); len(diags) != 0 {
		t.Errorf("delete of a gone customer:%s", acctest.RenderDiags(diags))
	}
	if n := emu.Count("DELETE", "/api/governance/customers/gone-id"); n != 1 {
		t.Errorf("%d DELETE requests, want 1", n)
	}
}
