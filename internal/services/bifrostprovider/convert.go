package bifrostprovider

import (
	"context"
	"fmt"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/secret"
	"github.com/maximhq/terraform-provider-bifrost/internal/tfvalue"
)

// This file is the one place where Terraform models and Bifrost's wire
// types meet.

// expandProvider builds the provider to send from the planned model. Every
// block is sent in full, with the values the plan shows: Bifrost's PUT
// replaces the configuration (and requires concurrency_and_buffer_size).
func expandProvider(ctx context.Context, m providerFields) (bifrost.Provider, diag.Diagnostics) {
	var diags diag.Diagnostics
	p := bifrost.Provider{
		Name:                    m.Name.ValueString(),
		SendBackRawRequest:      m.SendBackRawRequest.ValueBool(),
		SendBackRawResponse:     m.SendBackRawResponse.ValueBool(),
		StoreRawRequestResponse: m.StoreRawRequestResponse.ValueBool(),
	}
	if n := m.NetworkConfig; n != nil {
		p.NetworkConfig = &bifrost.NetworkConfig{
			BaseURL:                        n.BaseURL.ValueString(),
			DefaultRequestTimeoutInSeconds: n.DefaultRequestTimeoutInSeconds.ValueInt64(),
			MaxRetries:                     n.MaxRetries.ValueInt64(),
			RetryBackoffInitial:            n.RetryBackoffInitial.ValueInt64(),
			RetryBackoffMax:                n.RetryBackoffMax.ValueInt64(),
			StreamIdleTimeoutInSeconds:     n.StreamIdleTimeoutInSeconds.ValueInt64(),
			KeepAliveTimeoutInSeconds:      n.KeepAliveTimeoutInSeconds.ValueInt64Pointer(),
			MaxConnsPerHost:                n.MaxConnsPerHost.ValueInt64(),
			InsecureSkipVerify:             n.InsecureSkipVerify.ValueBool(),
			CACertPEM:                      secret.Expand(n.CACertPEM),
		}
		if !n.ExtraHeaders.IsNull() {
			diags.Append(n.ExtraHeaders.ElementsAs(ctx, &p.NetworkConfig.ExtraHeaders, false)...)
		}
	}
	if c := m.ConcurrencyAndBufferSize; c != nil {
		p.ConcurrencyAndBufferSize = &bifrost.ConcurrencyAndBufferSize{
			Concurrency: c.Concurrency.ValueInt64(),
			BufferSize:  c.BufferSize.ValueInt64(),
		}
	}
	if x := m.ProxyConfig; x != nil {
		p.ProxyConfig = &bifrost.ProxyConfig{
			Type: x.Type.ValueString(), URL: secret.Expand(x.URL), Username: secret.Expand(x.Username),
			Password: secret.Expand(x.Password), CACertPEM: secret.Expand(x.CACertPEM),
		}
	}
	if c := m.CustomProviderConfig; c != nil {
		p.CustomProviderConfig = &bifrost.CustomProviderConfig{
			BaseProviderType: c.BaseProviderType.ValueString(),
			IsKeyLess:        c.IsKeyLess.ValueBool(),
		}
		if !c.AllowedRequests.IsNull() {
			var allowed []string
			diags.Append(c.AllowedRequests.ElementsAs(ctx, &allowed, false)...)
			// Non-nil even when empty: an empty set allows nothing.
			p.CustomProviderConfig.AllowedRequests = make(map[string]bool, len(allowed))
			for _, r := range allowed {
				p.CustomProviderConfig.AllowedRequests[r] = true
			}
		}
		if !c.RequestPathOverrides.IsNull() {
			diags.Append(c.RequestPathOverrides.ElementsAs(ctx, &p.CustomProviderConfig.RequestPathOverrides, false)...)
		}
	}
	if o := m.OpenAIConfig; o != nil {
		p.OpenAIConfig = &bifrost.OpenAIConfig{DisableStore: o.DisableStore.ValueBool()}
	}
	return p, diags
}

// flattenProvider returns the attributes of a provider read from the server.
// prior is what Terraform last knew (the plan after a write, the state on
// refresh, nothing on import or in the data source), from which secrets the
// server does not return in clear are carried forward.
func flattenProvider(ctx context.Context, p *bifrost.Provider, prior providerFields) (providerFields, diag.Diagnostics) {
	var diags diag.Diagnostics
	m := providerFields{
		Name:                    types.StringValue(p.Name),
		SendBackRawRequest:      types.BoolValue(p.SendBackRawRequest),
		SendBackRawResponse:     types.BoolValue(p.SendBackRawResponse),
		StoreRawRequestResponse: types.BoolValue(p.StoreRawRequestResponse),
		ProviderStatus:          types.StringValue(p.ProviderStatus),
		Status:                  types.StringValue(p.Status),
		Description:             types.StringValue(p.Description),
		ConfigHash:              types.StringValue(p.ConfigHash),
	}

	n := p.NetworkConfig
	if n == nil {
		n = &bifrost.NetworkConfig{}
	}
	pn := tfvalue.OrZero(prior.NetworkConfig)
	m.NetworkConfig = &networkModel{
		BaseURL:                        optionalString(n.BaseURL),
		ExtraHeaders:                   stringMap(ctx, n.ExtraHeaders, &diags),
		DefaultRequestTimeoutInSeconds: types.Int64Value(n.DefaultRequestTimeoutInSeconds),
		MaxRetries:                     types.Int64Value(n.MaxRetries),
		RetryBackoffInitial:            types.Int64Value(n.RetryBackoffInitial),
		RetryBackoffMax:                types.Int64Value(n.RetryBackoffMax),
		StreamIdleTimeoutInSeconds:     types.Int64Value(n.StreamIdleTimeoutInSeconds),
		KeepAliveTimeoutInSeconds:      types.Int64PointerValue(n.KeepAliveTimeoutInSeconds),
		MaxConnsPerHost:                types.Int64Value(n.MaxConnsPerHost),
		InsecureSkipVerify:             types.BoolValue(n.InsecureSkipVerify),
		CACertPEM:                      secret.State(pn.CACertPEM, n.CACertPEM),
	}

	c := p.ConcurrencyAndBufferSize
	if c == nil {
		c = &bifrost.ConcurrencyAndBufferSize{}
	}
	m.ConcurrencyAndBufferSize = &concurrencyModel{
		Concurrency: types.Int64Value(c.Concurrency),
		BufferSize:  types.Int64Value(c.BufferSize),
	}

	if x := p.ProxyConfig; x != nil {
		px := tfvalue.OrZero(prior.ProxyConfig)
		m.ProxyConfig = &proxyModel{
			Type:      types.StringValue(x.Type),
			URL:       secret.State(px.URL, x.URL),
			Username:  secret.State(px.Username, x.Username),
			Password:  secret.State(px.Password, x.Password),
			CACertPEM: secret.State(px.CACertPEM, x.CACertPEM),
		}
	}

	if cp := p.CustomProviderConfig; cp != nil {
		m.CustomProviderConfig = &customModel{
			BaseProviderType:     types.StringValue(cp.BaseProviderType),
			IsKeyLess:            types.BoolValue(cp.IsKeyLess),
			AllowedRequests:      types.SetNull(types.StringType),
			RequestPathOverrides: stringMap(ctx, cp.RequestPathOverrides, &diags),
		}
		if cp.AllowedRequests != nil {
			m.CustomProviderConfig.AllowedRequests = tfvalue.StringSet(allowedRequests(cp.AllowedRequests), &diags)
		}
	}

	if o := p.OpenAIConfig; o != nil {
		m.OpenAIConfig = &openAIModel{DisableStore: types.BoolValue(o.DisableStore)}
	}
	return m, diags
}

// allowedRequests lists the request types allowed_requests sets to true
// (the server answers every type it knows, the disallowed ones as false).
func allowedRequests(m map[string]bool) []string {
	out := []string{}
	for name, allowed := range m {
		if allowed {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// checkAllowedRequestsKept reports the allowed request types the server did
// not store, which an older Bifrost drops without an error: without this
// check Terraform would only report an inconsistent result.
func checkAllowedRequestsKept(sent, got *bifrost.CustomProviderConfig) diag.Diagnostics {
	var diags diag.Diagnostics
	if sent == nil || sent.AllowedRequests == nil {
		return diags
	}
	var kept map[string]bool
	if got != nil {
		kept = got.AllowedRequests
	}
	var dropped []string
	for _, name := range allowedRequests(sent.AllowedRequests) {
		if !kept[name] {
			dropped = append(dropped, name)
		}
	}
	if len(dropped) > 0 {
		diags.AddAttributeError(path.Root("custom_provider_config").AtName("allowed_requests"), "Request types not supported by this Bifrost",
			fmt.Sprintf("Bifrost did not keep the allowed request types %q: this server version does not know them. "+
				"Remove them from allowed_requests (the provider was written without them).", dropped))
	}
	return diags
}

func optionalString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

func stringMap(ctx context.Context, m map[string]string, diags *diag.Diagnostics) types.Map {
	if len(m) == 0 {
		return types.MapNull(types.StringType)
	}
	v, d := types.MapValueFrom(ctx, types.StringType, m)
	diags.Append(d...)
	return v
}
