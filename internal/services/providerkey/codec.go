package providerkey

import (
	"context"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/tfmodel"
)

// keySchema is the resource's schema, built once.
var keySchema = sync.OnceValue(func() schema.Schema {
	var resp resource.SchemaResponse
	(&keyResource{}).Schema(context.Background(), resource.SchemaRequest{}, &resp)
	return resp.Schema
})

// keyType is the attribute type of the resource's values, built once.
var keyType = sync.OnceValue(func() attr.Type { return keySchema().Type() })

// getKey decodes a configuration, plan or state value into m, as
// tfsdk.State.Get does but at a fraction of its cost (see tfmodel): it runs
// several times per key in every Terraform run.
func getKey(ctx context.Context, v tftypes.Value, m *keyModel) diag.Diagnostics {
	var diags diag.Diagnostics
	if err := tfmodel.Get(ctx, keyType(), v, m); err != nil {
		diags.AddError("Cannot read the key's data", "This is a bug in the provider: "+err.Error())
	}
	return diags
}

// setKey writes m to the state, as tfsdk.State.Set does (see getKey).
func setKey(ctx context.Context, state *tfsdk.State, m keyModel) diag.Diagnostics {
	var diags diag.Diagnostics
	v, err := tfmodel.Set(ctx, keyType(), m)
	if err != nil {
		diags.AddError("Cannot write the key's state", "This is a bug in the provider: "+err.Error())
		return diags
	}
	state.Raw = v
	return diags
}
