// Package providerdata hands the provider's configured Bifrost client to
// resources, data sources and list resources.
package providerdata

import (
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
