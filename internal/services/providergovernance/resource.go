package providergovernance

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/providerdata"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/governance"
)

var (
	_ resource.ResourceWithConfigure        = (*govResource)(nil)
	_ resource.ResourceWithImportState      = (*govResource)(nil)
	_ resource.ResourceWithIdentity         = (*govResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*govResource)(nil)
	_ resource.ResourceWithConfigValidators = (*govResource)(nil)
)

type govResource struct {
	client *bifrost.Client
}

// NewResource returns the bifrost_provider_governance resource.
func NewResource() resource.Resource { return &govResource{} }

func (r *govResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_provider_governance"
}

func (r *govResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

func isV2(ctx context.Context, c *bifrost.Client, diags *diag.Diagnostics) bool {
	return governance.IsV2(ctx, c, diags, "Provider budgets")
}

func setIdentity(ctx context.Context, ident *tfsdk.ResourceIdentity, provider types.String) diag.Diagnostics {
	return governance.SetIdentityOf(ctx, ident, identityModel{Provider: provider})
}

// ModifyPlan warns, at plan time, of a provider Bifrost does not have
// (its PUT answers 404 "Provider not found") when it is new to the plan, and
// refuses more than one budget on Bifrost < 2.0.
func (r *govResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.client == nil {
		return
	}
	var plan, state govModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	create := req.State.Raw.IsNull()
	if !create {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	governance.CheckBudgetCount(ctx, r.client, plan.Budgets, "provider", &resp.Diagnostics)
	if plan.Provider.IsNull() || plan.Provider.IsUnknown() || (!create && plan.Provider.Equal(state.Provider)) {
		return
	}
	name := plan.Provider.ValueString()
	_, err := r.client.GetProvider(ctx, name)
	switch {
	case bifrost.IsNotFound(err):
		// A warning: the provider's name is known at plan time even when
		// this plan creates the provider.
		resp.Diagnostics.AddAttributeWarning(path.Root("provider_name"), "Provider not found",
			fmt.Sprintf("Bifrost (%s) has no provider named %q yet: unless this plan creates it, setting its limits will fail. "+
				"Configure the provider with a bifrost_provider resource and reference it: provider_name = bifrost_provider.<name>.name.", r.client.Endpoint(), name))
	case err != nil:
		resp.Diagnostics.AddWarning("Cannot check the provider", fmt.Sprintf("Reading provider %q: %s", name, err))
	}
}

func (r *govResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan govModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := plan.Provider.ValueString()
	// What the server has now (normally nothing): the PUT sets the
	// provider's limits to the plan over it.
	cur, err := r.client.GetProviderGovernance(ctx, name)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the provider's limits", err.Error())
		return
	}
	curModel, d := flatten(name, cur, govModel{})
	resp.Diagnostics.Append(d...)
	r.put(ctx, plan, curModel, &resp.Diagnostics, &resp.State, resp.Identity)
}

func (r *govResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state govModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.put(ctx, plan, state, &resp.Diagnostics, &resp.State, resp.Identity)
}

// put sets the provider's limits to plan over cur (see expandPut).
func (r *govResource) put(ctx context.Context, plan, cur govModel, diags *diag.Diagnostics, state *tfsdk.State, ident *tfsdk.ResourceIdentity) {
	v2 := isV2(ctx, r.client, diags)
	in, d := expandPut(ctx, plan, cur, v2)
	diags.Append(d...)
	if diags.HasError() {
		return
	}
	name := plan.Provider.ValueString()
	got, err := r.client.PutProviderGovernance(ctx, name, in)
	if err != nil {
		if bifrost.IsProviderNotFound(err) {
			diags.AddAttributeError(path.Root("provider_name"), "Provider not found",
				fmt.Sprintf("Bifrost has no provider named %q: configure it first (resource \"bifrost_provider\").\n\nBifrost said: %s", name, err))
			return
		}
		diags.AddError("Cannot set the provider's limits", err.Error())
		return
	}
	newState, d := flatten(name, got, plan)
	diags.Append(d...)
	diags.Append(state.Set(ctx, newState)...)
	diags.Append(setIdentity(ctx, ident, newState.Provider)...)
}

// Read reads the provider's limits from the list (there is no GET by
// provider): a provider absent from it has none (cleared, or the provider
// deleted, outside Terraform), and the resource is removed from the state.
func (r *govResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state govModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := state.Provider.ValueString()
	got, err := r.client.GetProviderGovernance(ctx, name)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the provider's limits", err.Error())
		return
	}
	if got == nil {
		resp.Diagnostics.AddWarning("Provider limits not found",
			fmt.Sprintf("The provider %q has no budget or rate limit in Bifrost any more (cleared, or the provider deleted, outside Terraform). "+
				"It is removed from the state; the next apply sets the limits again.", name))
		// Terraform expects an identity even for a resource being removed.
		resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, state.Provider)...)
		resp.State.RemoveResource(ctx)
		return
	}
	newState, d := flatten(name, got, state)
	resp.Diagnostics.Append(d...)
	resp.Diagnostics.Append(resp.State.Set(ctx, newState)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, newState.Provider)...)
}

// Delete clears the provider's limits. A provider Bifrost no longer has
// (v1.5.1's 404) has none left to clear.
func (r *govResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state govModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := r.client.DeleteProviderGovernance(ctx, state.Provider.ValueString()); err != nil && !bifrost.IsNotFound(err) {
		resp.Diagnostics.AddError("Cannot clear the provider's limits", err.Error())
	}
}

// ImportState accepts the provider's name, or a resource identity
// (Terraform ≥ 1.12). The provider must have limits.
func (r *govResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	name := req.ID
	if name == "" {
		var ident identityModel
		resp.Diagnostics.Append(req.Identity.Get(ctx, &ident)...)
		if resp.Diagnostics.HasError() {
			return
		}
		name = ident.Provider.ValueString()
	}
	if name == "" {
		resp.Diagnostics.AddError("Invalid import ID", "Expected the provider's name.")
		return
	}
	got, err := r.client.GetProviderGovernance(ctx, name)
	switch {
	case err != nil:
		resp.Diagnostics.AddError("Cannot read the provider's limits", err.Error())
		return
	case got == nil:
		resp.Diagnostics.AddError("No limits for that provider",
			fmt.Sprintf("Bifrost has no budget or rate limit for a provider named %q: there is nothing to import (create the resource instead).", name))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), name)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("provider_name"), name)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, types.StringValue(name))...)
}
