package clientconfig

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/providerdata"
)

var (
	_ resource.ResourceWithConfigure   = (*configResource)(nil)
	_ resource.ResourceWithImportState = (*configResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*configResource)(nil)
)

type configResource struct {
	client *bifrost.Client
}

// NewResource returns the bifrost_client_config resource.
func NewResource() resource.Resource { return &configResource{} }

func (r *configResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_client_config"
}

func (r *configResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = resourceSchema()
}

func (r *configResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

// objectType is the type of the whole resource.
var objectType = types.ObjectType{AttrTypes: attrTypes(settings, true)}

// values reads a plan, state or configuration as attribute values.
func values(ctx context.Context, raw tftypes.Value, diags *diag.Diagnostics) map[string]attr.Value {
	v, err := objectType.ValueFromTerraform(ctx, raw)
	if err != nil {
		diags.AddError("Cannot read the client configuration", err.Error())
		return nil
	}
	return members(v)
}

// toTerraform is the whole resource's value of vals.
func toTerraform(ctx context.Context, vals map[string]attr.Value, diags *diag.Diagnostics) tftypes.Value {
	obj, d := types.ObjectValue(objectType.AttrTypes, vals)
	diags.Append(d...)
	if d.HasError() {
		return tftypes.NewValue(objectType.TerraformType(ctx), nil)
	}
	v, err := obj.ToTerraformValue(ctx)
	if err != nil {
		diags.AddError("Cannot write the client configuration", err.Error())
	}
	return v
}

// ModifyPlan refuses the v2-only settings against an older Bifrost, plans
// the settings the configuration leaves out as the server has them (from
// the state, or on create from the server), and refuses a plan that would
// write a log_retention_days below 1 (a fresh server's 0).
func (r *configResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.client == nil {
		return
	}
	config := values(ctx, req.Config.Raw, &resp.Diagnostics)
	plan := values(ctx, req.Plan.Raw, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	r.checkVersion(ctx, config, &resp.Diagnostics)
	var base map[string]attr.Value
	if req.State.Raw.IsNull() {
		cfg, err := r.client.GetConfig(ctx)
		if err != nil {
			resp.Diagnostics.AddWarning("Cannot read the client configuration",
				"The settings left out of the configuration are shown as known after apply: "+err.Error())
			return
		}
		var d diag.Diagnostics
		base, d = fromServer(cfg.ClientConfig)
		resp.Diagnostics.Append(d...)
	} else {
		base = values(ctx, req.State.Raw, &resp.Diagnostics)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	fill(settings, plan, config, base)
	if v, ok := plan["id"]; !ok || v.IsUnknown() {
		plan["id"] = types.StringValue(singletonID)
	}
	if days, ok := plan["log_retention_days"].(types.Int64); ok && config["log_retention_days"].IsNull() &&
		!days.IsUnknown() && !days.IsNull() && days.ValueInt64() < 1 {
		resp.Diagnostics.AddAttributeError(path.Root("log_retention_days"), "log_retention_days must be set",
			fmt.Sprintf("Bifrost (%s) reports log_retention_days = %d (a fresh server's value) and refuses to store a value below 1, "+
				"so every write of the client configuration would fail. Set log_retention_days (at least 1) in the configuration.",
				r.client.Endpoint(), days.ValueInt64()))
		return
	}
	resp.Plan.Raw = toTerraform(ctx, plan, &resp.Diagnostics)
}

// checkVersion refuses the v2-only settings the configuration sets when
// the server is older (its version is asked only then).
func (r *configResource) checkVersion(ctx context.Context, config map[string]attr.Value, diags *diag.Diagnostics) {
	var used []string
	for _, s := range settings {
		if v := config[s.name]; s.v2 && v != nil && !v.IsNull() {
			used = append(used, s.name)
		}
	}
	if len(used) == 0 {
		return
	}
	v, err := r.client.ServerVersion(ctx)
	if err != nil {
		diags.AddWarning("Cannot tell the Bifrost version",
			"The configuration sets settings that need Bifrost ≥ 2.0 ("+strings.Join(used, ", ")+"), and the server's version could not be read: "+err.Error())
		return
	}
	if v.AtLeast(2, 0) {
		return
	}
	for _, name := range used {
		diags.AddAttributeError(path.Root(name), "Not supported by this Bifrost version",
			fmt.Sprintf("%s needs Bifrost ≥ 2.0, but the server at %s runs %s, which does not have this setting. Remove it or upgrade Bifrost.",
				name, r.client.Endpoint(), v.Raw))
	}
}

func (r *configResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	r.write(ctx, req.Config.Raw, &resp.State, &resp.Diagnostics)
}

func (r *configResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.write(ctx, req.Config.Raw, &resp.State, &resp.Diagnostics)
}

// stateSetter is the State of a create or update response.
type stateSetter interface {
	Set(ctx context.Context, val any) diag.Diagnostics
}

// write reads the whole client configuration, changes the settings the
// configuration sets, writes it back, and reads it again for the state and
// restart_required.
func (r *configResource) write(ctx context.Context, rawConfig tftypes.Value, state stateSetter, diags *diag.Diagnostics) {
	config := values(ctx, rawConfig, diags)
	if diags.HasError() {
		return
	}
	cur, err := r.client.GetConfig(ctx)
	if err != nil {
		diags.AddError("Cannot read the client configuration", err.Error())
		return
	}
	upd, err := overlay(cur.ClientConfig, config)
	if err != nil {
		diags.AddError("Cannot write the client configuration", err.Error())
		return
	}
	if err := r.client.UpdateClientConfig(ctx, upd); err != nil {
		diags.AddError("Cannot write the client configuration", err.Error())
		return
	}
	got, err := r.client.GetConfig(ctx)
	if err != nil {
		diags.AddError("Cannot read the client configuration back", err.Error())
		return
	}
	restartWarning(got, diags)
	vals, d := fromServer(got.ClientConfig)
	diags.Append(d...)
	if d.HasError() {
		return
	}
	if diff := notStored(settings, config, vals, ""); len(diff) > 0 {
		diags.AddError("Bifrost did not store the client configuration as set",
			fmt.Sprintf("Bifrost (%s) answered success, but reading the configuration back shows other values: %s. "+
				"This Bifrost may not have these settings, or another writer changed them at the same time.",
				r.client.Endpoint(), strings.Join(diff, "; ")))
		return
	}
	obj, d := types.ObjectValue(objectType.AttrTypes, vals)
	diags.Append(d...)
	if !d.HasError() {
		diags.Append(state.Set(ctx, obj)...)
	}
}

// restartWarning shows restart_required: Bifrost runs with the old values
// of some settings until it restarts.
func restartWarning(cfg *bifrost.ServerConfig, diags *diag.Diagnostics) {
	if rr := cfg.RestartRequired; rr != nil && rr.Required {
		reason := rr.Reason
		if reason == "" {
			reason = "Bifrost did not say which settings."
		}
		diags.AddWarning("Bifrost needs a restart",
			"The client configuration is stored, but Bifrost applies some of its settings only when it restarts: "+reason+
				" Until then it runs with the previous values.")
	}
}

func (r *configResource) Read(ctx context.Context, _ resource.ReadRequest, resp *resource.ReadResponse) {
	got, err := r.client.GetConfig(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the client configuration", err.Error())
		return
	}
	vals, d := fromServer(got.ClientConfig)
	resp.Diagnostics.Append(d...)
	if d.HasError() {
		return
	}
	obj, d := types.ObjectValue(objectType.AttrTypes, vals)
	resp.Diagnostics.Append(d...)
	if !d.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, obj)...)
	}
}

// Delete forgets the resource: Bifrost always has a client configuration,
// and there are no defaults to go back to that would be right for every
// server, so its settings are left as they are.
func (r *configResource) Delete(_ context.Context, _ resource.DeleteRequest, resp *resource.DeleteResponse) {
	resp.Diagnostics.AddWarning("Client configuration left as it is",
		"bifrost_client_config is removed from the Terraform state only: Bifrost keeps its client settings as they are now. "+
			"Change them in the dashboard, or with another bifrost_client_config, if they should differ.")
}

// ImportState adopts the singleton: the only id is "client_config".
func (r *configResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID != singletonID {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("A Bifrost server has one client configuration, imported with the id %q; got %q.", singletonID, req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), singletonID)...)
}
