package bifrostprovider

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/tfvalidate"
)

// httpURLDescription is what httpURLValidator accepts.
const httpURLDescription = "an absolute http:// or https:// URL with a host, e.g. https://api.example.com/v1"

// httpURLValidator checks that a string is an absolute http(s) URL with a host.
var httpURLValidator = tfvalidate.String(httpURLDescription, func(s string, p path.Path, diags *diag.Diagnostics) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		diags.AddAttributeError(p, "Invalid base URL",
			fmt.Sprintf("%q is not a URL Bifrost can call: expected %s.", s, httpURLDescription))
	}
})

// ValidateConfig checks, at plan time, the rules Bifrost enforces with a 400
// on create or update, so that they fail before anything is applied.
func (r *providerResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var name types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("name"), &name)...)
	var concurrency concurrencyModel
	hasConcurrency := nestedConfig(ctx, req.Config, "concurrency_and_buffer_size", &concurrency, &resp.Diagnostics)
	var network networkModel
	hasNetwork := nestedConfig(ctx, req.Config, "network_config", &network, &resp.Diagnostics)
	var proxy proxyModel
	hasProxy := nestedConfig(ctx, req.Config, "proxy_config", &proxy, &resp.Diagnostics)
	var custom customModel
	hasCustom := nestedConfig(ctx, req.Config, "custom_provider_config", &custom, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if hasConcurrency {
		validateConcurrency(concurrency, &resp.Diagnostics)
	}
	if hasNetwork {
		validateBackoff(network, &resp.Diagnostics)
	}
	if hasProxy {
		validateProxy(proxy, &resp.Diagnostics)
	}
	validateCustom(name, custom, hasCustom, &resp.Diagnostics)
}

// nestedConfig reads a nested attribute of the configuration into dst and
// reports whether it is set and known. (Reading the whole configuration
// into providerModel would fail on a nested object that is unknown.)
func nestedConfig(ctx context.Context, config tfsdk.Config, name string, dst any, diags *diag.Diagnostics) bool {
	var obj types.Object
	diags.Append(config.GetAttribute(ctx, path.Root(name), &obj)...)
	if obj.IsNull() || obj.IsUnknown() {
		return false
	}
	diags.Append(obj.As(ctx, dst, basetypes.ObjectAsOptions{})...)
	return true
}

// orDefault is the value an integer attribute will have: its configured
// value, or its default when left out. ok is false while it is unknown.
func orDefault(v types.Int64, def int64) (n int64, ok bool) {
	switch {
	case v.IsUnknown():
		return 0, false
	case v.IsNull():
		return def, true
	}
	return v.ValueInt64(), true
}

func validateConcurrency(m concurrencyModel, diags *diag.Diagnostics) {
	p := path.Root("concurrency_and_buffer_size")
	conc, concOK := orDefault(m.Concurrency, defaultConcurrency)
	buf, bufOK := orDefault(m.BufferSize, defaultBufferSize)
	if concOK && conc < 1 {
		diags.AddAttributeError(p.AtName("concurrency"), "Invalid concurrency",
			fmt.Sprintf("concurrency is %d: it must be at least 1 (Bifrost answers \"Concurrency must be greater than 0\").", conc))
	}
	if bufOK && buf < 1 {
		diags.AddAttributeError(p.AtName("buffer_size"), "Invalid buffer size",
			fmt.Sprintf("buffer_size is %d: it must be at least 1 (Bifrost answers \"Buffer size must be greater than 0\").", buf))
	}
	if concOK && bufOK && conc >= 1 && buf >= 1 && conc > buf {
		diags.AddAttributeError(p.AtName("concurrency"), "Concurrency above buffer size",
			fmt.Sprintf("concurrency is %d but buffer_size is %d: concurrency must be at most buffer_size "+
				"(Bifrost answers \"Concurrency must be less than or equal to buffer size\"). Omitted, they are 1000 and 5000.", conc, buf))
	}
}

func validateBackoff(m networkModel, diags *diag.Diagnostics) {
	p := path.Root("network_config")
	initial, initialOK := orDefault(m.RetryBackoffInitial, defaultBackoffInitialMS)
	maxWait, maxOK := orDefault(m.RetryBackoffMax, defaultBackoffMaxMS)
	valid := func(attr string, v int64) bool {
		if v == 0 || (v >= minBackoffMS && v <= maxBackoffMS) {
			return true
		}
		diags.AddAttributeError(p.AtName(attr), "Invalid retry backoff",
			fmt.Sprintf("%s is %d ms: it must be 0 (Bifrost's default) or between %d and %d ms "+
				"(Bifrost answers \"Invalid retry backoff: ...\").", attr, v, minBackoffMS, maxBackoffMS))
		return false
	}
	initialValid := initialOK && valid("retry_backoff_initial", initial)
	maxValid := maxOK && valid("retry_backoff_max", maxWait)
	if initialValid && maxValid && initial > 0 && maxWait > 0 && initial > maxWait {
		diags.AddAttributeError(p.AtName("retry_backoff_initial"), "Invalid retry backoff",
			fmt.Sprintf("retry_backoff_initial is %d ms but retry_backoff_max is %d ms: the initial backoff must be at most the maximum "+
				"(Bifrost answers \"Invalid retry backoff: retry backoff initial must be less than or equal to retry backoff max\"). "+
				"Omitted, they are %d and %d ms.", initial, maxWait, defaultBackoffInitialMS, defaultBackoffMaxMS))
	}
}

func validateProxy(m proxyModel, diags *diag.Diagnostics) {
	if m.Type.IsUnknown() || m.URL.IsUnknown() || !m.URL.IsNull() {
		return
	}
	if t := m.Type.ValueString(); t == "http" || t == "socks5" {
		diags.AddAttributeError(path.Root("proxy_config").AtName("url"), "Missing proxy URL",
			fmt.Sprintf("proxy_config.type is %q: set proxy_config.url to the proxy's address.", t))
	}
}

// validateCustom mirrors Bifrost's checks of custom providers.
func validateCustom(name types.String, m customModel, hasCustom bool, diags *diag.Diagnostics) {
	if name.IsUnknown() || name.IsNull() {
		return
	}
	n := name.ValueString()
	if !hasCustom {
		// A malformed name already has its error (providerNameValidator).
		if !bifrost.IsStandardProvider(n) && bifrost.ProviderNamePattern.MatchString(n) {
			diags.AddAttributeWarning(path.Root("name"), "Not a built-in provider type",
				fmt.Sprintf("%q is not one of the built-in provider types this provider knows, and has no custom_provider_config. "+
					"Bifrost accepts the name, but can only call an upstream for a built-in type or a custom provider: "+
					"check the spelling, or add custom_provider_config { base_provider_type = ... }.", n))
		}
		return
	}
	cp := path.Root("custom_provider_config")
	if bifrost.IsStandardProvider(n) {
		diags.AddAttributeError(cp, "Custom provider named like a built-in one",
			fmt.Sprintf("%q is a built-in provider type: custom_provider_config is only for providers with another name "+
				"(Bifrost answers \"Custom provider cannot be same as a standard provider\").", n))
	}
	if m.BaseProviderType.IsUnknown() {
		return
	}
	switch base := m.BaseProviderType.ValueString(); {
	case base == "":
		diags.AddAttributeError(cp.AtName("base_provider_type"), "Missing base provider type",
			"custom_provider_config.base_provider_type is empty: set it to the built-in type whose API the provider speaks, e.g. \"openai\" "+
				"(Bifrost answers \"BaseProviderType is required when CustomProviderConfig is provided\").")
	case !bifrost.IsCustomBase(base):
		diags.AddAttributeError(cp.AtName("base_provider_type"), "Invalid base provider type",
			fmt.Sprintf("base_provider_type is %q; a custom provider can be based on one of %s "+
				"(Bifrost answers \"BaseProviderType must be a standard provider\").", base, strings.Join(bifrost.CustomBases(), ", ")))
	}
}
