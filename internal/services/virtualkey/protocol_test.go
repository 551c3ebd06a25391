package virtualkey_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// protocolFixture is the provider served against an emulator holding the
// virtual keys named names (with a budget and an openai config), ready to
// import bifrost_virtual_key.
func protocolFixture(t *testing.T, names ...string) (*acctest.Importer, *emulator.Server, []*bifrost.VirtualKey) {
	t.Helper()
	srv, c := acctest.StartEmulator(t, emulator.Options{Providers: []string{"openai"}})
	var vks []*bifrost.VirtualKey
	for _, n := range names {
		vk, err := c.CreateVirtualKey(context.Background(), bifrost.VirtualKeyCreate{
			Name: n, Budgets: []bifrost.BudgetRequest{{MaxLimit: 5, ResetDuration: "1d"}},
			ProviderConfigs: []bifrost.ProviderConfigRequest{{Provider: "openai", AllowedModels: []string{"*"}, KeyIDs: []string{"*"}}},
		})
		if err != nil {
			t.Fatal(err)
		}
		vks = append(vks, vk)
	}
	return acctest.NewImporter(t, srv.URL(), typeName), srv, vks
}

// importAndRead imports (by id string, or by identity when id is "") and
// reads, returning the state and identity after the read.
func importAndRead(t *testing.T, im *acctest.Importer, id, identityID string) (map[string]tftypes.Value, map[string]tftypes.Value) {
	t.Helper()
	ctx := context.Background()
	req := &tfprotov6.ImportResourceStateRequest{TypeName: typeName, ID: id, ClientCapabilities: &tfprotov6.ImportResourceStateClientCapabilities{}}
	if id == "" {
		ident := im.Value(t, im.IdentityType, map[string]tftypes.Value{"id": str(identityID)})
		req.Identity = &tfprotov6.ResourceIdentityData{IdentityData: &ident}
	}
	imp, err := im.ImportResourceState(ctx, req)
	if err != nil || acctest.HasErrors(imp.Diagnostics) {
		t.Fatalf("import: %v %v", err, acctest.Diags(imp.Diagnostics))
	}
	imported := imp.ImportedResources[0]
	read, err := im.ReadResource(ctx, &tfprotov6.ReadResourceRequest{
		TypeName: typeName, CurrentState: imported.State, CurrentIdentity: imported.Identity,
	})
	if err != nil || acctest.HasErrors(read.Diagnostics) {
		t.Fatalf("read: %v %v", err, acctest.Diags(read.Diagnostics))
	}
	if read.NewIdentity == nil {
		t.Fatal("read returned no identity")
	}
	return acctest.Attrs(t, im.ResourceType(typeName), read.NewState), acctest.Attrs(t, im.IdentityType, read.NewIdentity.IdentityData)
}

// TestImportForms imports by resource identity (Terraform ≥ 1.12), by id
// and by "name=<name>" through the provider server; an unknown name and a
// malformed id are refused.
func TestImportForms(t *testing.T) {
	im, _, vks := protocolFixture(t, "alpha", "beta")
	vk := vks[1]
	for label, in := range map[string][2]string{"identity": {"", vk.ID}, "id": {vk.ID, ""}, "name": {"name=beta", ""}} {
		t.Run(label, func(t *testing.T) {
			if got, diags := im.ImportID(t, in[0], in[1]); acctest.HasErrors(diags) || got != vk.ID {
				t.Fatalf("imported %q, want %q:%s", got, vk.ID, acctest.RenderDiags(diags))
			}
			state, id := importAndRead(t, im, in[0], in[1])
			if acctest.Str(t, state["id"]) != vk.ID || acctest.Str(t, state["name"]) != "beta" || acctest.Str(t, id["id"]) != vk.ID {
				t.Errorf("state id %q name %q, identity %v", acctest.Str(t, state["id"]), acctest.Str(t, state["name"]), id)
			}
			if acctest.Str(t, state["value"]) != vk.Value {
				t.Errorf("imported value is not the key's (store_value defaults to true)")
			}
		})
	}
	_, diags := im.ImportID(t, "name=nope", "")
	acctest.ExpectOneDiag(t, diags, tfprotov6.DiagnosticSeverityError, "", []string{"No virtual key with that name", `named "nope"`, "2 virtual keys listed"}, nil)
	_, diags = im.ImportID(t, "a/b", "")
	acctest.ExpectOneDiag(t, diags, tfprotov6.DiagnosticSeverityError, "", []string{"Invalid import ID", `"name=<virtual key name>"`}, nil)
}

// TestReadAndDeleteOfVanishedKey: a key deleted outside Terraform is
// removed from state with a warning (and an identity, which Terraform
// 1.11 requires), and its destroy is done.
func TestReadAndDeleteOfVanishedKey(t *testing.T) {
	im, srv, vks := protocolFixture(t, "gone")
	prior := map[string]tftypes.Value{"id": str(vks[0].ID), "name": str("gone"), "store_value": tftypes.NewValue(tftypes.Bool, true)}
	c, _ := bifrost.New(bifrost.Config{Endpoint: srv.URL()})
	if err := c.DeleteVirtualKey(context.Background(), vks[0].ID); err != nil {
		t.Fatal(err)
	}
	diags := im.ReadGone(t, prior)
	acctest.ExpectOneDiag(t, diags, tfprotov6.DiagnosticSeverityWarning, "", []string{"Virtual key not found", "removed from the state"}, nil)
	srv.ResetRequests()
	if diags := im.Destroy(t, prior); acctest.HasErrors(diags) {
		t.Fatalf("destroy of a vanished key failed:%s", acctest.RenderDiags(diags))
	}
	if n := srv.Count("DELETE", "/api/governance/virtual-keys/"+vks[0].ID); n != 1 {
		t.Errorf("%d DELETEs, want 1 (answered 404)", n)
	}
}

// TestListResource lists the keys for terraform query (Terraform ≥ 1.14)
// through the provider server: identities, display names, name_regex,
// limit, and resource objects without the value.
func TestListResource(t *testing.T) {
	im, _, vks := protocolFixture(t, "app-one", "app-two", "other")
	list := func(regex string, include bool, limit int64) (names, ids []string, resources []map[string]tftypes.Value, diags []*tfprotov6.Diagnostic) {
		set := map[string]tftypes.Value{}
		if regex != "" {
			set["name_regex"] = str(regex)
		}
		listed, diags := im.ListResource(t, typeName, set, include, limit)
		for _, l := range listed {
			diags = append(diags, l.Diags...)
			names = append(names, l.DisplayName)
			ids = append(ids, l.ID)
			if l.Resource != nil {
				resources = append(resources, l.Resource)
			}
		}
		return names, ids, resources, diags
	}
	names, ids, _, diags := list("", false, 0)
	if len(diags) != 0 || strings.Join(names, ",") != "app-one,app-two,other" || len(ids) != 3 || ids[0] != vks[0].ID {
		t.Errorf("list all: %v %v %v", names, ids, acctest.Diags(diags))
	}
	names, _, res, diags := list("^app-", true, 1)
	if len(diags) != 0 || strings.Join(names, ",") != "app-one" || len(res) != 1 {
		t.Fatalf("list app- limit 1: %v %v", names, acctest.Diags(diags))
	}
	if acctest.Str(t, res[0]["name"]) != "app-one" || !res[0]["value"].IsNull() {
		t.Errorf("resource object: name %q, value null %v", acctest.Str(t, res[0]["name"]), res[0]["value"].IsNull())
	}
	if res[0]["budgets"].IsNull() || res[0]["provider_configs"].IsNull() {
		t.Errorf("resource object lacks budgets or provider configs")
	}
	_, _, _, diags = list("(", false, 0)
	acctest.ExpectOneDiag(t, diags, tfprotov6.DiagnosticSeverityError, "name_regex", []string{"Invalid regular expression"}, nil)
}

// TestRotationWarningWithoutValue: with store_value = false the state has
// no value to show an out-of-band rotation, so the refresh warns about it
// (from a fingerprint in private state), without the value in the message.
func TestRotationWarningWithoutValue(t *testing.T) {
	srv, err := emulator.Start(emulator.Options{Version: "v2.2.6", SetupToken: "setup-token-0123456789"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	ctx := context.Background()
	c, _ := bifrost.New(bifrost.Config{Endpoint: srv.URL(), SetupToken: "setup-token-0123456789"})
	vk, err := c.CreateVirtualKey(ctx, bifrost.VirtualKeyCreate{Name: "rot"})
	if err != nil {
		t.Fatal(err)
	}
	// One provider process per Terraform run: reads within a run are served
	// from one list, so each refresh below runs in a process of its own.
	run := func() *acctest.ProtocolServer {
		ps, diags := acctest.ConfigureProtocolServer(t, map[string]tftypes.Value{
			"endpoint":    tftypes.NewValue(tftypes.String, srv.URL()),
			"setup_token": tftypes.NewValue(tftypes.String, "setup-token-0123456789"),
		})
		if acctest.HasErrors(diags) {
			t.Fatal(acctest.Diags(diags))
		}
		return ps
	}
	ps := run()
	stateType := ps.ResourceType(typeName)
	state := ps.Value(t, stateType, map[string]tftypes.Value{
		"id": tftypes.NewValue(tftypes.String, vk.ID), "name": tftypes.NewValue(tftypes.String, "rot"),
		"store_value": tftypes.NewValue(tftypes.Bool, false),
	})
	first, err := ps.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: typeName, CurrentState: &state})
	if err != nil || len(first.Diagnostics) != 0 {
		t.Fatalf("first read: %v %v", err, acctest.Diags(first.Diagnostics))
	}
	if got := acctest.Attrs(t, stateType, first.NewState); !got["value"].IsNull() {
		t.Fatal("value in state with store_value = false")
	}
	// Unchanged: no warning.
	again, err := ps.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: typeName, CurrentState: first.NewState, Private: first.Private})
	if err != nil || len(again.Diagnostics) != 0 {
		t.Fatalf("second read: %v %v", err, acctest.Diags(again.Diagnostics))
	}
	rotated, err := c.RotateVirtualKey(ctx, vk.ID)
	if err != nil {
		t.Fatal(err)
	}
	read, err := run().ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: typeName, CurrentState: again.NewState, Private: again.Private})
	if err != nil {
		t.Fatal(err)
	}
	acctest.ExpectOneDiag(t, read.Diagnostics, tfprotov6.DiagnosticSeverityWarning, "value",
		[]string{"Virtual key rotated outside Terraform", "ephemeral resource"}, []string{vk.Value, rotated.Value})
}
