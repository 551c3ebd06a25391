package acctest

import (
	"context"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// Identity is the resource identity of the given attributes (the others
// null), for a resource whose identity is not (only) its id.
func (im *Importer) Identity(t testing.TB, attrs map[string]tftypes.Value) *tfprotov6.ResourceIdentityData {
	t.Helper()
	dv := im.Value(t, im.IdentityType, attrs)
	return &tfprotov6.ResourceIdentityData{IdentityData: &dv}
}

// Import imports by id, or by ident when id is "": it returns the imported
// state's id and the identity's attributes, and the diagnostics.
func (im *Importer) Import(t testing.TB, id string, ident *tfprotov6.ResourceIdentityData) (string, map[string]tftypes.Value, []*tfprotov6.Diagnostic) {
	t.Helper()
	resp, err := im.ImportResourceState(context.Background(), &tfprotov6.ImportResourceStateRequest{TypeName: im.TypeName, ID: id, Identity: ident})
	if err != nil {
		t.Fatal(err)
	}
	if HasErrors(resp.Diagnostics) {
		return "", nil, resp.Diagnostics
	}
	if len(resp.ImportedResources) != 1 {
		t.Fatalf("imported %d resources, want 1", len(resp.ImportedResources))
	}
	r := resp.ImportedResources[0]
	if r.Identity == nil {
		t.Fatal("import set no identity")
	}
	return Str(t, Attrs(t, im.ResourceType(im.TypeName), r.State)["id"]), Attrs(t, im.IdentityType, r.Identity.IdentityData), resp.Diagnostics
}

// ReadGoneAs is ReadGone for a resource whose identity is ident.
func (im *Importer) ReadGoneAs(t testing.TB, state map[string]tftypes.Value, ident *tfprotov6.ResourceIdentityData) []*tfprotov6.Diagnostic {
	t.Helper()
	typ := im.ResourceType(im.TypeName)
	current := im.Value(t, typ, state)
	resp, err := im.ReadResource(context.Background(), &tfprotov6.ReadResourceRequest{TypeName: im.TypeName, CurrentState: &current, CurrentIdentity: ident})
	if err != nil {
		t.Fatal(err)
	}
	if v, err := resp.NewState.Unmarshal(typ); err != nil || !v.IsNull() {
		t.Errorf("new state %v (%v), want null", v, err)
	}
	if resp.NewIdentity == nil {
		t.Errorf("no identity after removing the %s", im.TypeName)
	}
	return resp.Diagnostics
}

// DestroyGone destroys the resource of state, whose object the server emu
// (the one im talks to) no longer has: it checks that the destroy succeeds
// without a diagnostic, after exactly one DELETE of path.
func (im *Importer) DestroyGone(t testing.TB, emu *emulator.Server, state map[string]tftypes.Value, path string) {
	t.Helper()
	if diags := im.Destroy(t, state); len(diags) != 0 {
		t.Errorf("delete of a gone %s:%s", im.TypeName, RenderDiags(diags))
	}
	if n := emu.Count(http.MethodDelete, path); n != 1 {
		t.Errorf("%d DELETE requests, want 1", n)
	}
}

// ExpectImports imports, in a subtest of each label, by each {id,
// identity id} of cases (see ImportID), and checks that each imports
// want without an error.
func (im *Importer) ExpectImports(t *testing.T, want string, cases map[string][2]string) {
	t.Helper()
	for label, in := range cases {
		t.Run(label, func(t *testing.T) {
			got, diags := im.ImportID(t, in[0], in[1])
			if HasErrors(diags) || got != want {
				t.Errorf("imported %q, want %q:%s", got, want, RenderDiags(diags))
			}
		})
	}
}
