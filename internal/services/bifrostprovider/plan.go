package bifrostprovider

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/secret"
)

var _ resource.ResourceWithModifyPlan = (*providerResource)(nil)

// ModifyPlan plans the secrets the configuration leaves null as Bifrost
// holds them (secret.PlanUnmanaged: a generated configuration applies as it
// is written), then the network_config defaults (planNetwork), and refuses a
// write that would have to send a mask or placeholder back.
func (r *providerResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	planned, unmanaged, err := secret.PlanUnmanaged(req.State.Raw, req.Config.Raw, resp.Plan.Raw, secretPaths())
	if err != nil {
		resp.Diagnostics.AddError("Cannot plan the provider's secrets", err.Error())
		return
	}
	resp.Plan.Raw = planned
	r.planNetwork(ctx, req, resp)
	if !req.State.Raw.IsNull() && !resp.Diagnostics.HasError() {
		secret.WarnUnmanaged(&resp.Diagnostics, unmanaged, "this provider")
		secret.RefuseMaskedWrite(&resp.Diagnostics, req.State.Raw, resp.Plan.Raw, "this provider")
	}
}

// secretPaths are the provider's secrets that have a write-only form.
var secretPaths = sync.OnceValue(func() []*tftypes.AttributePath {
	var resp resource.SchemaResponse
	(&providerResource{}).Schema(context.Background(), resource.SchemaRequest{}, &resp)
	return secret.PlainPaths(resp.Schema)
})

// planNetwork plans the network_config attributes whose default depends on the
// server's version (asked once per Terraform run) and refuses a Bifrost 2
// attribute against an older server. An attribute the configuration leaves
// out is planned as the server's default, so that a value changed outside
// Terraform shows as drift, and an import of a provider with the server's
// defaults plans no change.
func (r *providerResource) planNetwork(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.client == nil {
		return
	}
	network := path.Root("network_config")
	var config, planned types.Object
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, network, &config)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, network, &planned)...)
	if resp.Diagnostics.HasError() || config.IsUnknown() {
		return
	}
	configured := config.Attributes()
	unset := func(name string) bool { v, ok := configured[name]; return !ok || v.IsNull() }
	keepAliveSet := !unset("keep_alive_timeout_in_seconds")
	if !config.IsNull() && keepAliveSet && !unset("default_request_timeout_in_seconds") && !unset("stream_idle_timeout_in_seconds") {
		return // everything version-dependent is configured: the plan keeps it
	}
	v, err := r.client.ServerVersion(ctx)
	if err != nil {
		// The values stay unknown: the server decides at apply.
		resp.Diagnostics.AddWarning("Cannot tell the Bifrost version",
			"The network_config defaults depend on the server's version, which could not be read: "+err.Error())
		return
	}
	if keepAliveSet && !v.AtLeast(2, 0) {
		resp.Diagnostics.AddAttributeError(network.AtName("keep_alive_timeout_in_seconds"), "Not supported by this Bifrost version",
			fmt.Sprintf("keep_alive_timeout_in_seconds needs Bifrost ≥ 2.0, but the server at %s runs %s, which would silently ignore it. "+
				"Remove it or upgrade Bifrost.", r.client.Endpoint(), v.Raw))
		return
	}
	if config.IsNull() {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, network, networkDefault(v))...)
		return
	}
	var prior types.Object
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, network, &prior)...)
	}
	for name, value := range versionDefaults(v) {
		if !unset(name) {
			continue
		}
		if p, ok := prior.Attributes()[name]; ok && p.IsNull() {
			// The server does not report it for this provider (one written
			// without it, then imported): nothing to compare, keep null.
			value = p
		}
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, network.AtName(name), value)...)
	}
}
