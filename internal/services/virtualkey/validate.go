package virtualkey

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/tfvalidate"
)

// providerNameKey validates the keys of provider_configs: provider names.
var providerNameKey = tfvalidate.ProviderName(" in provider_configs", `"openai"`)

// mcpClientNameKeyDescription is what mcpClientNameKey accepts.
const mcpClientNameKeyDescription = "an MCP client name: ASCII, without '-' or spaces, not starting with a digit"

// mcpClientNameKey validates the keys of mcp_configs: MCP client names as
// Bifrost accepts them (ValidateMCPClientName), so that a name no client
// can have is refused at plan time.
var mcpClientNameKey = tfvalidate.String(mcpClientNameKeyDescription, func(s string, p path.Path, diags *diag.Diagnostics) {
	bad := strings.TrimSpace(s) == "" || strings.ContainsAny(s, "- ") || (s[0] >= '0' && s[0] <= '9') ||
		strings.IndexFunc(s, func(r rune) bool { return r > 127 }) >= 0
	if bad {
		diags.AddAttributeError(p, "Invalid MCP client name",
			fmt.Sprintf("%q is not a valid MCP client name in mcp_configs: expected %s (e.g. \"github\").", s, mcpClientNameKeyDescription))
	}
})

// whitelist refuses "*" mixed with names (Bifrost answers 400 "invalid
// allowed_models for provider openai: wildcard '*' cannot be used with
// other values in the whitelist"), and empty names.
func whitelist() validator.Set { return whitelistValidator{} }

type whitelistValidator struct{}

func (whitelistValidator) Description(context.Context) string {
	return `["*"] for all, or a list of names without "*"`
}

func (v whitelistValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (whitelistValidator) ValidateSet(_ context.Context, req validator.SetRequest, resp *validator.SetResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	elems := req.ConfigValue.Elements()
	for _, e := range elems {
		s, ok := e.(types.String)
		if !ok || s.IsUnknown() || s.IsNull() {
			continue
		}
		switch {
		case s.ValueString() == "*" && len(elems) > 1:
			resp.Diagnostics.AddAttributeError(req.Path, "Wildcard mixed with names",
				fmt.Sprintf("%s holds \"*\" and other values: Bifrost refuses the wildcard '*' with other values in the whitelist. "+
					"Use [\"*\"] alone for all, or list the names without \"*\".", lastStep(req.Path.String())))
			return
		case s.ValueString() == "":
			resp.Diagnostics.AddAttributeError(req.Path, "Empty name in list",
				fmt.Sprintf("%s holds an empty string: give names, [\"*\"] for all, or [] for none.", lastStep(req.Path.String())))
			return
		}
	}
}

func lastStep(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '.' {
			return p[i+1:]
		}
	}
	return p
}

// expiresAt requires an RFC 3339 time in the future (Bifrost v2 answers
// 400 "expires_at must be a future timestamp", or "Invalid JSON" for a
// time it cannot parse).
var expiresAt = tfvalidate.String("an RFC 3339 time in the future", func(s string, p path.Path, diags *diag.Diagnostics) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		diags.AddAttributeError(p, "Invalid expires_at",
			fmt.Sprintf("%q is not an RFC 3339 time: write it like \"2030-01-01T00:00:00Z\" (date, \"T\", time, and a zone: \"Z\" or \"+02:00\").", s))
		return
	}
	if !t.After(time.Now()) {
		diags.AddAttributeError(p, "expires_at is in the past",
			fmt.Sprintf("expires_at is %s, which is not in the future: Bifrost refuses it (\"expires_at must be a future timestamp\"). "+
				"Give a later time, or remove expires_at for a key that never expires.", s))
	}
})
