package acctest

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// Importer drives the import, read and delete of a resource whose identity
// is its id through the provider server, as Terraform ≥ 1.12 does (older
// CLIs cannot run identity import end to end).
type Importer struct {
	*ProtocolServer
	TypeName     string
	IdentityType tftypes.Type
}

// NewImporter starts the provider for endpoint, to import typeName.
func NewImporter(t testing.TB, endpoint, typeName string) *Importer {
	t.Helper()
	ps := NewProtocolServer(t, endpoint)
	ids, err := ps.GetResourceIdentitySchemas(context.Background(), &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil || HasErrors(ids.Diagnostics) {
		t.Fatalf("GetResourceIdentitySchemas: %v %v", err, Diags(ids.Diagnostics))
	}
	return &Importer{ProtocolServer: ps, TypeName: typeName, IdentityType: ids.IdentitySchemas[typeName].ValueType()}
}

func (im *Importer) identity(t testing.TB, id string) *tfprotov6.ResourceIdentityData {
	t.Helper()
	dv := im.Value(t, im.IdentityType, map[string]tftypes.Value{"id": tftypes.NewValue(tftypes.String, id)})
	return &tfprotov6.ResourceIdentityData{IdentityData: &dv}
}

// ImportID imports by id string, or by identity when id is "" (then
// identityID is the identity's id); it returns the imported id (state and
// identity must agree) and the diagnostics.
func (im *Importer) ImportID(t testing.TB, id, identityID string) (string, []*tfprotov6.Diagnostic) {
	t.Helper()
	req := &tfprotov6.ImportResourceStateRequest{TypeName: im.TypeName, ID: id}
	if id == "" {
		req.Identity = im.identity(t, identityID)
	}
	resp, err := im.ImportResourceState(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if HasErrors(resp.Diagnostics) {
		return "", resp.Diagnostics
	}
	if len(resp.ImportedResources) != 1 {
		t.Fatalf("imported %d resources, want 1", len(resp.ImportedResources))
	}
	r := resp.ImportedResources[0]
	got := Str(t, Attrs(t, im.ResourceType(im.TypeName), r.State)["id"])
	if r.Identity == nil {
		t.Fatal("import set no identity")
	}
	if ident := Str(t, Attrs(t, im.IdentityType, r.Identity.IdentityData)["id"]); ident != got {
		t.Errorf("imported state id %q, identity id %q", got, ident)
	}
	return got, resp.Diagnostics
}

// ReadGone reads the resource of state (its identity the id of state) that
// the server no longer has: it checks that the resource is removed from the
// state with its identity still set (Terraform 1.11 fails a read without
// one), and returns the diagnostics.
func (im *Importer) ReadGone(t testing.TB, state map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	t.Helper()
	return im.ReadGoneAs(t, state, im.identity(t, Str(t, state["id"])))
}

// Destroy applies the destroy of the resource of prior, and returns the
// diagnostics.
func (im *Importer) Destroy(t testing.TB, prior map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	t.Helper()
	typ := im.ResourceType(im.TypeName)
	priorState := im.Value(t, typ, prior)
	null, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := im.ApplyResourceChange(context.Background(), &tfprotov6.ApplyResourceChangeRequest{
		TypeName: im.TypeName, PriorState: &priorState, PlannedState: &null, Config: &null,
	})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Diagnostics
}

// RunImportByIdentity applies cfg, then imports the resource addr with an
// import block by its resource identity (Terraform ≥ 1.12: skipped on
// older CLIs, which Importer covers at the protocol level).
func RunImportByIdentity(t *testing.T, cfg, addr string, checkDestroy resource.TestCheckFunc) {
	t.Helper()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		CheckDestroy:             checkDestroy,
		Steps: []resource.TestStep{
			{Config: cfg},
			{Config: cfg, ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
		},
	})
}
