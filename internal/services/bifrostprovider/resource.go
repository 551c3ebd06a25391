// Package bifrostprovider implements the bifrost_provider resource and data
// source: a Bifrost provider (an upstream LLM API) and its settings.
package bifrostprovider

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/providerdata"
	"github.com/maximhq/terraform-provider-bifrost/internal/secret"
)

const (
	defaultTimeout = 10 * time.Minute
	// privateNetworkExtra is the private state key of the network_config
	// members this provider does not model, sent back on update.
	privateNetworkExtra = "network_config_extra"
)

var (
	_ resource.ResourceWithConfigure      = (*providerResource)(nil)
	_ resource.ResourceWithImportState    = (*providerResource)(nil)
	_ resource.ResourceWithValidateConfig = (*providerResource)(nil)
)

type providerResource struct {
	client *bifrost.Client
}

// NewResource returns the bifrost_provider resource.
func NewResource() resource.Resource { return &providerResource{} }

func (r *providerResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_provider"
}

func (r *providerResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

func (r *providerResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan providerModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	// Write-only secrets are only in the configuration.
	written, d := secret.FromConfig(ctx, req.Config, &plan)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := plan.Timeouts.Create(ctx, defaultTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	p, d := expandProvider(ctx, plan.providerFields)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	got, err := r.client.CreateProvider(ctx, p)
	if err != nil {
		if bifrost.IsConflict(err) {
			resp.Diagnostics.AddAttributeError(path.Root("name"), "Provider already exists",
				fmt.Sprintf("Bifrost already has a provider named %q. Manage it with Terraform by importing it:\n\n"+
					"  terraform import <resource address> %s\n\nor an import block:\n\n"+
					"  import {\n    to = <resource address>\n    id = %q\n  }\n\n%s", p.Name, p.Name, p.Name, err.Error()))
			return
		}
		resp.Diagnostics.AddError("Cannot create the provider", err.Error())
		return
	}
	r.setState(ctx, got, plan, written, p.CustomProviderConfig, resp.Private, &resp.State, &resp.Diagnostics)
}

func (r *providerResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state providerModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := state.Timeouts.Read(ctx, defaultTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	name := state.Name.ValueString()
	got, err := r.client.GetProvider(ctx, name)
	if bifrost.IsNotFound(err) {
		resp.Diagnostics.AddWarning("Provider not found",
			fmt.Sprintf("The provider %q no longer exists in Bifrost (deleted outside Terraform, together with its keys). "+
				"It is removed from the state; the next apply creates it again.", name))
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the provider", err.Error())
		return
	}
	// No fingerprint check of the write-only secrets (proxy_config.password_wo):
	// Bifrost answers a literal password as the constant "<REDACTED>", so a
	// fingerprint of the answer could never tell a rotation.
	r.setState(ctx, got, state, nil, nil, resp.Private, &resp.State, &resp.Diagnostics)
}

func (r *providerResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan providerModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	written, d := secret.FromConfig(ctx, req.Config, &plan)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := plan.Timeouts.Update(ctx, defaultTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	p, d := expandProvider(ctx, plan.providerFields)
	resp.Diagnostics.Append(d...)
	// The stored network_config is replaced whole: keep what a newer
	// server (or its UI) set that this provider does not model.
	b, d := req.Private.GetKey(ctx, privateNetworkExtra)
	resp.Diagnostics.Append(d...)
	if len(b) > 0 && p.NetworkConfig != nil {
		if err := json.Unmarshal(b, &p.NetworkConfig.Extra); err != nil {
			resp.Diagnostics.AddError("Corrupt private state", "The saved unmodelled network_config fields cannot be read: "+err.Error())
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}
	got, err := r.client.UpdateProvider(ctx, p)
	if err != nil {
		resp.Diagnostics.AddError("Cannot update the provider", err.Error())
		return
	}
	r.setState(ctx, got, plan, written, p.CustomProviderConfig, resp.Private, &resp.State, &resp.Diagnostics)
}

// stateSetter is the resource state of a response.
type stateSetter interface {
	Set(ctx context.Context, val any) diag.Diagnostics
}

// setState writes the provider the server answered into the state, from
// prior (the plan after a write, the state on refresh); written are the
// secrets just sent from their write-only form (secret.FromConfig); sent is
// the custom configuration just written, if any, to detect request types
// the server dropped.
func (r *providerResource) setState(ctx context.Context, got *bifrost.Provider, prior providerModel, written []path.Path, sent *bifrost.CustomProviderConfig,
	private providerdata.PrivateState, state stateSetter, diags *diag.Diagnostics) {
	fields, d := flattenProvider(ctx, got, prior.providerFields)
	diags.Append(d...)
	if diags.HasError() {
		return
	}
	m := providerModel{providerFields: fields, Timeouts: prior.Timeouts}
	secret.KeepWriteOnly(&prior, &m, written)
	diags.Append(state.Set(ctx, m)...)
	var extra []byte
	if n := got.NetworkConfig; n != nil && len(n.Extra) > 0 {
		extra, _ = json.Marshal(n.Extra)
	}
	diags.Append(private.SetKey(ctx, privateNetworkExtra, extra)...)
	// After the state: a provider written without some request types is
	// still recorded (tainted), not left behind unmanaged.
	diags.Append(checkAllowedRequestsKept(sent, got.CustomProviderConfig)...)
}

func (r *providerResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state providerModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := state.Timeouts.Delete(ctx, defaultTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	// Bifrost answers 200 whether or not the provider exists, and deletes
	// the provider's keys with it.
	if err := r.client.DeleteProvider(ctx, state.Name.ValueString()); err != nil && !bifrost.IsNotFound(err) {
		resp.Diagnostics.AddError("Cannot delete the provider", err.Error())
	}
}

// ImportState takes the provider's name.
func (r *providerResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID == "" || !bifrost.ProviderNamePattern.MatchString(req.ID) {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("%q is not an import ID of bifrost_provider: expected the provider's name, e.g. \"openai\" or \"my-custom-provider\".", req.ID))
		return
	}
	resource.ImportStatePassthroughID(ctx, path.Root("name"), req, resp)
}
