package providerkey

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// TestParseImportID pins down which import IDs of bifrost_provider_key are
// accepted and how they split: "<provider>/<key_id>" or
// "<provider>/name=<key name>", cut at the first "/"; the provider part is a
// provider name and an id has no "/".
func TestParseImportID(t *testing.T) {
	for _, tc := range []struct {
		in                 string
		provider, id, name string
		ok                 bool
	}{
		// By id.
		{in: "openai/3f2c9a1e-0000-4000-8000-000000000001", provider: "openai", id: "3f2c9a1e-0000-4000-8000-000000000001", ok: true},
		{in: "my-custom.provider_1/k", provider: "my-custom.provider_1", id: "k", ok: true},
		// The name= prefix is case-sensitive: anything else is an id.
		{in: "openai/Name=primary", provider: "openai", id: "Name=primary", ok: true},
		{in: "openai/name", provider: "openai", id: "name", ok: true},
		// By name: everything after "name=" is the name.
		{in: "openai/name=primary", provider: "openai", name: "primary", ok: true},
		{in: "openai/name=a/b", provider: "openai", name: "a/b", ok: true},
		{in: "openai/name=name=x", provider: "openai", name: "name=x", ok: true},
		{in: "openai/name= spaced ", provider: "openai", name: " spaced ", ok: true},
		// Refused.
		{in: ""},
		{in: "openai"},
		{in: "/"},
		{in: "//"},
		{in: "/3f2c"},
		{in: "/name=primary"},
		{in: "openai/"},
		{in: "openai/name="},
		// An id has no "/" (a typo, not a key Bifrost could hold).
		{in: "openai/a/b"},
		{in: "openai//abc"},
		// The provider part must be a provider name.
		{in: " openai/x"},
		{in: "open ai/x"},
		{in: "-openai/x"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			provider, id, name, ok := parseImportID(tc.in)
			if !tc.ok {
				// What a refused ID splits into is not used.
				if ok {
					t.Errorf("parseImportID(%q) = (%q, %q, %q, true), want it refused", tc.in, provider, id, name)
				}
				return
			}
			if provider != tc.provider || id != tc.id || name != tc.name || !ok {
				t.Errorf("parseImportID(%q) = (%q, %q, %q, %v), want (%q, %q, %q, %v)",
					tc.in, provider, id, name, ok, tc.provider, tc.id, tc.name, tc.ok)
			}
			if (id == "") == (name == "") {
				t.Errorf("parseImportID(%q) accepted with id %q and name %q: exactly one must be set", tc.in, id, name)
			}
		})
	}
}

// importFixture is the resource configured against an emulator holding the
// key openai/imp-1 named "primary".
func importFixture(t *testing.T) *keyResource {
	t.Helper()
	srv, err := emulator.Start(emulator.Options{Providers: []string{"openai"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	c, err := bifrost.New(bifrost.Config{Endpoint: srv.URL(), MaxRetries: 0})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateKey(context.Background(), "openai", bifrost.Key{
		ID: "imp-1", Name: "primary", Value: bifrost.Literal("sk-import-0123456789abcdef"), Models: []string{"*"}, Weight: 1,
	}); err != nil {
		t.Fatal(err)
	}
	return &keyResource{client: c}
}

// runImport calls ImportState as the framework does, with an empty state
// and identity: for id, or for the resource identity ident when id is "".
func runImport(t *testing.T, r *keyResource, id string, ident *identityModel) *resource.ImportStateResponse {
	t.Helper()
	ctx := context.Background()
	var s resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &s)
	var is resource.IdentitySchemaResponse
	r.IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &is)
	if s.Diagnostics.HasError() || is.Diagnostics.HasError() {
		t.Fatal(s.Diagnostics, is.Diagnostics)
	}
	identType := is.IdentitySchema.Type().TerraformType(ctx)
	req := resource.ImportStateRequest{ID: id}
	if ident != nil {
		req.Identity = &tfsdk.ResourceIdentity{Schema: is.IdentitySchema, Raw: tftypes.NewValue(identType, nil)}
		if d := req.Identity.Set(ctx, ident); d.HasError() {
			t.Fatal(d)
		}
	}
	resp := &resource.ImportStateResponse{
		State:    tfsdk.State{Schema: s.Schema, Raw: tftypes.NewValue(s.Schema.Type().TerraformType(ctx), nil)},
		Identity: &tfsdk.ResourceIdentity{Schema: is.IdentitySchema, Raw: tftypes.NewValue(identType, nil)},
	}
	r.ImportState(ctx, req, resp)
	return resp
}

// importedIDs is the provider_name and id ImportState put in the state and
// the identity.
func importedIDs(t *testing.T, resp *resource.ImportStateResponse) (state, ident identityModel) {
	t.Helper()
	ctx := context.Background()
	var provider, id types.String
	resp.Diagnostics.Append(resp.State.GetAttribute(ctx, path.Root("provider_name"), &provider)...)
	resp.Diagnostics.Append(resp.State.GetAttribute(ctx, path.Root("id"), &id)...)
	resp.Diagnostics.Append(resp.Identity.Get(ctx, &ident)...)
	if resp.Diagnostics.HasError() {
		t.Fatalf("reading the imported state: %v", resp.Diagnostics)
	}
	return identityModel{ProviderName: provider, ID: id}, ident
}

// TestImportState imports by id and by name, and checks the messages of the
// import IDs ImportState refuses.
func TestImportState(t *testing.T) {
	r := importFixture(t)

	t.Run("by id", func(t *testing.T) {
		// No lookup: the id is taken as given (Read then finds the key).
		resp := runImport(t, r, "openai/any-id", nil)
		if resp.Diagnostics.HasError() {
			t.Fatal(resp.Diagnostics)
		}
		state, ident := importedIDs(t, resp)
		for what, got := range map[string]identityModel{"state": state, "identity": ident} {
			if got.ProviderName.ValueString() != "openai" || got.ID.ValueString() != "any-id" {
				t.Errorf("%s after import: provider %s, id %s; want openai, any-id", what, got.ProviderName, got.ID)
			}
		}
	})

	t.Run("by name", func(t *testing.T) {
		resp := runImport(t, r, "openai/name=primary", nil)
		if resp.Diagnostics.HasError() {
			t.Fatal(resp.Diagnostics)
		}
		state, ident := importedIDs(t, resp)
		if state.ID.ValueString() != "imp-1" || ident.ID.ValueString() != "imp-1" {
			t.Errorf("import by name resolved id %s (identity %s), want imp-1", state.ID, ident.ID)
		}
	})

	t.Run("by identity", func(t *testing.T) {
		// Terraform ≥ 1.12 sends an empty ID and the identity.
		resp := runImport(t, r, "", &identityModel{ProviderName: types.StringValue("openai"), ID: types.StringValue("imp-1")})
		if resp.Diagnostics.HasError() {
			t.Fatal(resp.Diagnostics)
		}
		state, ident := importedIDs(t, resp)
		if state.ProviderName.ValueString() != "openai" || state.ID.ValueString() != "imp-1" || ident.ID.ValueString() != "imp-1" {
			t.Errorf("import by identity: state %s/%s, identity id %s; want openai/imp-1", state.ProviderName, state.ID, ident.ID)
		}
	})

	for _, tc := range []struct {
		name, id string
		want     []string
	}{
		{"unknown name", "openai/name=secondary", []string{"No key with that name", `Provider "openai" has no key named "secondary"`, "(1 key listed)"}},
		{"no slash", "openai", []string{"Invalid import ID", `"openai" is not an import ID of bifrost_provider_key`, `"<provider>/<key_id>"`, `"<provider>/name=<key name>"`}},
		{"empty name", "openai/name=", []string{"Invalid import ID", `"openai/name="`, "name=<key name>"}},
		{"empty provider", "/imp-1", []string{"Invalid import ID", `"/imp-1"`}},
		{"unknown provider", "anthropic/name=primary", []string{"Cannot list the provider's keys", `Bifrost has no provider named "anthropic": check the provider part of the import ID "anthropic/name=primary".`,
			"Bifrost said: Bifrost answered HTTP 404 to GET /api/providers/anthropic/keys: Provider not found: not found"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := runImport(t, r, tc.id, nil)
			if resp.Diagnostics.ErrorsCount() != 1 {
				t.Fatalf("import %q: %d errors, want 1: %v", tc.id, resp.Diagnostics.ErrorsCount(), resp.Diagnostics)
			}
			d := resp.Diagnostics.Errors()[0]
			text := d.Summary() + ": " + d.Detail()
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("import %q: the error does not say %q:\n%s", tc.id, w, text)
				}
			}
			if !resp.State.Raw.IsNull() {
				t.Errorf("import %q failed but set a state: %v", tc.id, resp.State.Raw)
			}
		})
	}
}
