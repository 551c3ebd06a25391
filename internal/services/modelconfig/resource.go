package modelconfig

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/providerdata"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/governance"
)

var (
	_ resource.ResourceWithConfigure   = (*modelConfigResource)(nil)
	_ resource.ResourceWithImportState = (*modelConfigResource)(nil)
	_ resource.ResourceWithIdentity    = (*modelConfigResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*modelConfigResource)(nil)
)

type modelConfigResource struct {
	client *bifrost.Client
}

// NewResource returns the bifrost_model_config resource.
func NewResource() resource.Resource { return &modelConfigResource{} }

func (r *modelConfigResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_model_config"
	// The identity is the natural key (model, provider), which an update
	// may change in place.
	resp.ResourceBehavior.MutableIdentity = true
}

func (r *modelConfigResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

// listConfigs is the model configs this resource manages: on v2 the list
// also holds provider governance (model "*") and virtual key limits (scope
// virtual_key), which are left out.
func listConfigs(ctx context.Context, c *bifrost.Client) ([]bifrost.ModelConfig, error) {
	all, err := c.ListModelConfigs(ctx)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, mc := range all {
		if mc.IsGlobal() && mc.ModelName != bifrost.ModelConfigAllModels {
			out = append(out, mc)
		}
	}
	return out, nil
}

// kind is what the governance helpers need to know of model configs.
var kind = governance.Kind[bifrost.ModelConfig]{
	Noun: "model config", NotUniqueWhy: "a model has one config per provider",
	ID: func(mc *bifrost.ModelConfig) string { return mc.ID }, Name: func(mc *bifrost.ModelConfig) string { return mc.ModelName },
	Get: (*bifrost.Client).GetModelConfig, List: func(c *bifrost.Client, ctx context.Context) ([]bifrost.ModelConfig, error) {
		return listConfigs(ctx, c)
	}, Delete: (*bifrost.Client).DeleteModelConfig,
}

// key is a model config's natural key as text: "provider=<p>,model=<m>",
// or "model=<m>" for all providers (the import ID of a natural key).
func key(model, provider string) string {
	if provider == "" {
		return "model=" + model
	}
	return "provider=" + provider + ",model=" + model
}

// parseKey reads an import ID of a natural key (see key); ok is false for
// an id.
func parseKey(id string) (model, provider string, ok bool) {
	if rest, found := strings.CutPrefix(id, "provider="); found {
		p, m, cut := strings.Cut(rest, ",model=")
		return m, p, cut
	}
	if m, found := strings.CutPrefix(id, "model="); found {
		return m, "", true
	}
	return "", "", false
}

// byKey is the model config of the natural key among all, nil when none.
func byKey(all []bifrost.ModelConfig, model, provider string) *bifrost.ModelConfig {
	for i := range all {
		if all[i].ModelName == model && all[i].ProviderName() == provider {
			return &all[i]
		}
	}
	return nil
}

func importHint(model, provider string) string {
	return fmt.Sprintf("terraform import bifrost_model_config.<name> %q (or an import block with id = %q)", key(model, provider), key(model, provider))
}

// isV2 reports whether the server is Bifrost ≥ 2.0 (asked once per run).
func isV2(ctx context.Context, c *bifrost.Client, diags *diag.Diagnostics) bool {
	return governance.IsV2(ctx, c, diags, "Model configs' budgets")
}

func setIdentity(ctx context.Context, ident *tfsdk.ResourceIdentity, model, provider types.String) diag.Diagnostics {
	return governance.SetIdentityOf(ctx, ident, identityModel{ModelName: model, Provider: provider})
}

func known(v types.String) bool { return !v.IsNull() && !v.IsUnknown() }

// ModifyPlan refuses, at plan time, more than one budget on a server that
// holds one per model config (Bifrost < 2.0), and a natural key (model,
// provider) another model config has: an error for a change (Bifrost would
// answer a 500), a warning for a create (the create half of a replacement
// is planned while the config being replaced still has the key).
func (r *modelConfigResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.client == nil {
		return
	}
	var plan, state modelConfigModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	create := req.State.Raw.IsNull()
	if !create {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	governance.CheckBudgetCount(ctx, r.client, plan.Budgets, "model config", &resp.Diagnostics)
	if !known(plan.ModelName) || plan.Provider.IsUnknown() {
		return
	}
	model, provider := plan.ModelName.ValueString(), plan.Provider.ValueString()
	if !create && model == state.ModelName.ValueString() && provider == state.Provider.ValueString() {
		return
	}
	all, err := listConfigs(ctx, r.client)
	if err != nil {
		resp.Diagnostics.AddWarning("Cannot check the model config", "Listing the model configs: "+err.Error())
		return
	}
	other := byKey(all, model, provider)
	if other == nil || other.ID == state.ID.ValueString() {
		return
	}
	detail := fmt.Sprintf("Bifrost (%s) already has a model config for %s (id %s): a model config is unique by model and provider. "+
		"Change model_name or provider, or adopt that model config: %s.", r.client.Endpoint(), describe(model, provider), other.ID, importHint(model, provider))
	if create {
		resp.Diagnostics.AddAttributeWarning(path.Root("model_name"), "Model config already exists",
			detail+" Unless this plan replaces that model config, creating this one will fail.")
	} else {
		resp.Diagnostics.AddAttributeError(path.Root("model_name"), "Model config already exists", detail)
	}
}

// describe names a natural key in messages.
func describe(model, provider string) string {
	if provider == "" {
		return fmt.Sprintf("model %q on all providers", model)
	}
	return fmt.Sprintf("model %q on provider %q", model, provider)
}

func (r *modelConfigResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan modelConfigModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	v2 := isV2(ctx, r.client, &resp.Diagnostics)
	in, d := expandCreate(ctx, plan, v2)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	model, provider := in.ModelName, plan.Provider.ValueString()
	// The model config of this natural key before the attempt (normally
	// none): one that was not there was created by this attempt.
	var before string
	all, listErr := listConfigs(ctx, r.client)
	if listErr == nil {
		if mc := byKey(all, model, provider); mc != nil {
			before = mc.ID
		}
	}
	start := time.Now()
	got, err := r.client.CreateModelConfig(ctx, in)
	if err != nil && bifrost.MayHaveStored(err) {
		// The create may have been stored (a lost answer): the natural key
		// is unique, so a model config of exactly this key created since
		// the attempt began is ours.
		if mc, ok := r.createdSince(ctx, model, provider, before, listErr == nil, start); ok {
			tflog.Info(ctx, "Model config stored by this create although Bifrost's answer was an error; adopting it", map[string]any{"id": mc.ID, "error": err.Error()})
			got, err = mc, nil
		}
	}
	if err != nil {
		if bifrost.IsConflict(err) {
			resp.Diagnostics.AddAttributeError(path.Root("model_name"), "Model config already exists",
				fmt.Sprintf("Bifrost already has a model config for %s: a model config is unique by model and provider. "+
					"Change model_name or provider, or adopt it: %s.\n\nBifrost said: %s", describe(model, provider), importHint(model, provider), err))
			return
		}
		resp.Diagnostics.AddError("Cannot create the model config", err.Error())
		return
	}
	state, d := flatten(got, plan)
	resp.Diagnostics.Append(d...)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, state.ModelName, state.Provider)...)
}

// createdSince finds the model config of the natural key that this attempt
// created: one other than before (the one listed just before it, "" for
// none) when that list could be read, else one whose created_at is not
// before start.
func (r *modelConfigResource) createdSince(ctx context.Context, model, provider, before string, listed bool, start time.Time) (*bifrost.ModelConfig, bool) {
	all, err := listConfigs(ctx, r.client)
	if err != nil {
		return nil, false
	}
	mc := byKey(all, model, provider)
	if mc == nil || mc.ID == before {
		return nil, false
	}
	if listed {
		return mc, true
	}
	if created, perr := time.Parse(time.RFC3339Nano, mc.CreatedAt); perr == nil && !created.Before(start) {
		return mc, true
	}
	return nil, false
}

func (r *modelConfigResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state modelConfigModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	got, err := r.client.GetModelConfig(ctx, state.ID.ValueString())
	if bifrost.IsNotFound(err) {
		resp.Diagnostics.AddWarning("Model config not found",
			fmt.Sprintf("The model config for %s (id %s) no longer exists in Bifrost (deleted outside Terraform). It is removed from the state; the next apply creates it again.",
				describe(state.ModelName.ValueString(), state.Provider.ValueString()), state.ID.ValueString()))
		// Terraform expects an identity even for a resource being removed.
		resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, state.ModelName, state.Provider)...)
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the model config", err.Error())
		return
	}
	newState, d := flatten(got, state)
	resp.Diagnostics.Append(d...)
	resp.Diagnostics.Append(resp.State.Set(ctx, newState)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, newState.ModelName, newState.Provider)...)
}

func (r *modelConfigResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state modelConfigModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	v2 := isV2(ctx, r.client, &resp.Diagnostics)
	in, d := expandUpdate(ctx, plan, state, v2)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	got, err := r.client.UpdateModelConfig(ctx, state.ID.ValueString(), in)
	if err != nil {
		resp.Diagnostics.AddError("Cannot update the model config", err.Error())
		return
	}
	newState, d := flatten(got, plan)
	resp.Diagnostics.Append(d...)
	resp.Diagnostics.Append(resp.State.Set(ctx, newState)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, newState.ModelName, newState.Provider)...)
}

func (r *modelConfigResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	kind.DeleteResource(ctx, r.client, req, resp)
}

// ImportState accepts "<model config id>", the natural key
// "provider=<provider>,model=<model>" or "model=<model>" (all providers),
// or a resource identity (model_name, provider; Terraform ≥ 1.12).
func (r *modelConfigResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	model, provider, byNaturalKey := parseKey(req.ID)
	if req.ID == "" {
		var ident identityModel
		resp.Diagnostics.Append(req.Identity.Get(ctx, &ident)...)
		if resp.Diagnostics.HasError() {
			return
		}
		model, provider, byNaturalKey = ident.ModelName.ValueString(), ident.Provider.ValueString(), true
	}
	var found *bifrost.ModelConfig
	if byNaturalKey {
		if model == "" {
			resp.Diagnostics.AddError("Invalid import ID", `Expected "<model config id>", "provider=<provider>,model=<model>" or "model=<model>" (all providers): the model is empty.`)
			return
		}
		all, d := kind.ListAll(ctx, r.client)
		resp.Diagnostics.Append(d...)
		if d.HasError() {
			return
		}
		if found = byKey(all, model, provider); found == nil {
			resp.Diagnostics.AddError("No model config with that model and provider",
				fmt.Sprintf("Bifrost has no model config for %s (%s listed). Import by id, or by \"provider=<provider>,model=<model>\" "+
					"(\"model=<model>\" for all providers).", describe(model, provider), bifrost.Plural(len(all), "model config")))
			return
		}
	} else {
		got, err := r.client.GetModelConfig(ctx, req.ID)
		switch {
		case bifrost.IsNotFound(err):
			resp.Diagnostics.AddError("Model config not found", fmt.Sprintf("Bifrost has no model config with id %q.", req.ID))
			return
		case err != nil:
			resp.Diagnostics.AddError("Cannot read the model config", err.Error())
			return
		}
		found = got
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), found.ID)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, types.StringValue(found.ModelName), types.StringPointerValue(found.Provider))...)
}
