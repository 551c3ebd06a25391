package providerkey_test

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

const typeName = "bifrost_provider_key"

// protocolFixture is an emulator with one key and the provider configured
// against it at the protocol level.
func protocolFixture(t *testing.T) (*acctest.ProtocolServer, *emulator.Server, *bifrost.Key) {
	t.Helper()
	srv, err := emulator.Start(emulator.Options{Providers: []string{"openai"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	c, _ := bifrost.New(bifrost.Config{Endpoint: srv.URL()})
	k, err := c.CreateKey(context.Background(), "openai", bifrost.Key{ID: "ident-1", Name: "ident", Value: bifrost.Literal("sk-ident-0123456789abcdef"), Models: []string{"*"}, Weight: 1})
	if err != nil {
		t.Fatal(err)
	}
	return acctest.NewProtocolServer(t, srv.URL()), srv, k
}

// TestIdentityImport imports by resource identity (Terraform ≥ 1.12) through
// the provider server, then reads the key, and checks the identity the
// provider returns at each step.
func TestIdentityImport(t *testing.T) {
	ps, _, k := protocolFixture(t)
	ctx := context.Background()

	ids, err := ps.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	identSchema := ids.IdentitySchemas[typeName]
	if identSchema == nil || len(identSchema.IdentityAttributes) != 2 {
		t.Fatalf("identity schema: %+v", identSchema)
	}
	identType := identSchema.ValueType()
	ident := ps.Value(t, identType, map[string]tftypes.Value{
		"provider_name": tftypes.NewValue(tftypes.String, "openai"),
		"id":            tftypes.NewValue(tftypes.String, k.ID),
	})
	imp, err := ps.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{
		TypeName: typeName, Identity: &tfprotov6.ResourceIdentityData{IdentityData: &ident},
		ClientCapabilities: &tfprotov6.ImportResourceStateClientCapabilities{},
	})
	if err != nil || acctest.HasErrors(imp.Diagnostics) || len(imp.ImportedResources) != 1 {
		t.Fatalf("import: %v %v", err, acctest.Diags(imp.Diagnostics))
	}
	imported := imp.ImportedResources[0]
	stateType := ps.ResourceType(typeName)
	if got := acctest.Attrs(t, stateType, imported.State); acctest.Str(t, got["id"]) != k.ID || acctest.Str(t, got["provider_name"]) != "openai" {
		t.Fatalf("imported state %v", got)
	}

	read, err := ps.ReadResource(ctx, &tfprotov6.ReadResourceRequest{
		TypeName: typeName, CurrentState: imported.State, CurrentIdentity: imported.Identity,
	})
	if err != nil || acctest.HasErrors(read.Diagnostics) {
		t.Fatalf("read: %v %v", err, acctest.Diags(read.Diagnostics))
	}
	state := acctest.Attrs(t, stateType, read.NewState)
	if acctest.Str(t, state["name"]) != "ident" {
		t.Errorf("read name %q", acctest.Str(t, state["name"]))
	}
	if read.NewIdentity == nil {
		t.Fatal("read returned no identity")
	}
	got := acctest.Attrs(t, identType, read.NewIdentity.IdentityData)
	if acctest.Str(t, got["id"]) != k.ID || acctest.Str(t, got["provider_name"]) != "openai" {
		t.Errorf("identity after read: %v", got)
	}
}

// TestDeleteOfVanishedKey destroys a key that is already gone (e.g. with
// -refresh=false after someone deleted it, or its provider): Delete treats
// the 404 as done.
func TestDeleteOfVanishedKey(t *testing.T) {
	ps, srv, k := protocolFixture(t)
	ctx := context.Background()
	stateType := ps.ResourceType(typeName)
	prior := ps.Value(t, stateType, map[string]tftypes.Value{
		"provider_name": tftypes.NewValue(tftypes.String, "openai"),
		"id":            tftypes.NewValue(tftypes.String, k.ID),
		"name":          tftypes.NewValue(tftypes.String, k.Name),
	})
	c, _ := bifrost.New(bifrost.Config{Endpoint: srv.URL()})
	if err := c.DeleteProvider(ctx, "openai"); err != nil {
		t.Fatal(err)
	}
	planned, err := tfprotov6.NewDynamicValue(stateType, tftypes.NewValue(stateType, nil))
	if err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()
	resp, err := ps.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: typeName, PriorState: &prior, PlannedState: &planned, Config: &planned,
	})
	if err != nil || acctest.HasErrors(resp.Diagnostics) {
		t.Fatalf("destroy of a vanished key failed: %v %v", err, acctest.Diags(resp.Diagnostics))
	}
	if n := srv.Count("DELETE", "/api/providers/openai/keys/"+k.ID); n != 1 {
		t.Errorf("%d DELETEs, want 1 (answered 404)", n)
	}
}
