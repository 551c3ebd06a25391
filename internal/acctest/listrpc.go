package acctest

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Listed is one result of ListResource.
type Listed struct {
	DisplayName string
	ID          string                   // the identity's id
	Resource    map[string]tftypes.Value // nil unless the resource objects were asked for
	Diags       []*tfprotov6.Diagnostic
}

// ListResource calls the ListResource RPC of list resource typeName, as
// `terraform query` (Terraform ≥ 1.14) would, with the given config
// attributes (the others null). When the config does not validate, it
// returns no results and the validation's diagnostics.
func (s *ProtocolServer) ListResource(t testing.TB, typeName string, attrs map[string]tftypes.Value, includeResource bool, limit int64) ([]Listed, []*tfprotov6.Diagnostic) {
	t.Helper()
	ctx := context.Background()
	schemas, err := s.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || schemas.ListResourceSchemas[typeName] == nil {
		t.Fatalf("no list resource %s: %v", typeName, err)
	}
	ids, err := s.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	lister, ok := s.ProviderServer.(tfprotov6.ListResourceServer)
	if !ok {
		t.Fatal("the provider server does not serve list resources")
	}
	cfg := s.Value(t, schemas.ListResourceSchemas[typeName].ValueType(), attrs)
	v, err := lister.ValidateListResourceConfig(ctx, &tfprotov6.ValidateListResourceConfigRequest{TypeName: typeName, Config: &cfg})
	if err != nil {
		t.Fatal(err)
	}
	if HasErrors(v.Diagnostics) {
		return nil, v.Diagnostics
	}
	stream, err := lister.ListResource(ctx, &tfprotov6.ListResourceRequest{TypeName: typeName, Config: &cfg, IncludeResource: includeResource, Limit: limit})
	if err != nil {
		t.Fatal(err)
	}
	var out []Listed
	for r := range stream.Results {
		l := Listed{DisplayName: r.DisplayName, Diags: r.Diagnostics}
		if r.Identity != nil {
			l.ID = Str(t, Attrs(t, ids.IdentitySchemas[typeName].ValueType(), r.Identity.IdentityData)["id"])
		}
		if r.Resource != nil {
			l.Resource = Attrs(t, s.ResourceType(typeName), r.Resource)
		}
		out = append(out, l)
	}
	return out, nil
}
