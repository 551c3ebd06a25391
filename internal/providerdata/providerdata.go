// Package providerdata hands the provider's configured Bifrost client to
// resources, data sources and list resources.
package providerdata

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

// Client is the client the provider's Configure made, or nil before the
// provider is configured (as during validation).
func Client(data any, diags *diag.Diagnostics) *bifrost.Client {
	if data == nil {
		return nil
	}
	client, ok := data.(*bifrost.Client)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *bifrost.Client, got %T. Please report this issue to the provider developers.", data))
	}
	return client
}

// PrivateState is the part of the framework's private state API the
// resources use (resp.Private of Create, Read and Update).
type PrivateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}
