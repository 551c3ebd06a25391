package plugin

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/providerdata"
	"github.com/maximhq/terraform-provider-bifrost/internal/secret"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/governance"
)

var (
	_ resource.ResourceWithConfigure      = (*pluginResource)(nil)
	_ resource.ResourceWithImportState    = (*pluginResource)(nil)
	_ resource.ResourceWithIdentity       = (*pluginResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*pluginResource)(nil)
	_ resource.ResourceWithValidateConfig = (*pluginResource)(nil)
)

type pluginResource struct {
	client *bifrost.Client
}

// NewResource returns the bifrost_plugin resource.
func NewResource() resource.Resource { return &pluginResource{} }

func (r *pluginResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_plugin"
}

func (r *pluginResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

// kind is what the governance helpers need to know of plugins: the name
// is the id.
var kind = governance.Kind[bifrost.Plugin]{
	Noun: "plugin", UniqueNames: true, ImportHint: " Import a plugin by its name.",
	ID: func(p *bifrost.Plugin) string { return p.Name }, Name: func(p *bifrost.Plugin) string { return p.Name },
	Get: (*bifrost.Client).GetPlugin, List: (*bifrost.Client).ListPlugins, Delete: (*bifrost.Client).DeletePlugin,
	GoneDetail: func(id, _ string) string {
		return fmt.Sprintf("The plugin %q no longer exists in Bifrost (deleted outside Terraform). It is removed from the state; the next apply creates it again.", id)
	},
}

// importHint says how to adopt the plugin name.
func importHint(name string) string {
	return fmt.Sprintf("terraform import bifrost_plugin.<name> %s (or an import block with id = %s)", quote(name), quote(name))
}

// ModifyPlan plans the secrets the configuration leaves null as Bifrost
// holds them, and null when written from their write-only form
// (secret.PlanUnmanaged: never "known after apply"). On create, it warns of
// a name Bifrost already has: a warning only, since Terraform plans the
// create half of a replacement (-replace) without the prior state, while
// the plugin being replaced still exists; the create itself refuses (see
// Create).
func (r *pluginResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	planned, _, err := secret.PlanUnmanaged(req.State.Raw, req.Config.Raw, resp.Plan.Raw, secretPaths())
	if err != nil {
		resp.Diagnostics.AddError("Cannot plan the plugin's secrets", err.Error())
		return
	}
	resp.Plan.Raw = planned
	if !req.State.Raw.IsNull() || r.client == nil {
		return
	}
	var plan pluginModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || plan.Name.IsUnknown() || plan.Name.ValueString() == "" {
		return
	}
	name := plan.Name.ValueString()
	_, err = r.client.GetPlugin(ctx, name)
	switch {
	case err == nil:
		resp.Diagnostics.AddAttributeWarning(path.Root("name"), "Plugin already exists",
			fmt.Sprintf("Bifrost (%s) already has a plugin named %s. Unless this plan replaces it, creating this one will fail: "+
				"Terraform does not take over an existing plugin silently. To manage it, import it: %s.", r.client.Endpoint(), quote(name), importHint(name)))
	case !bifrost.IsNotFound(err):
		resp.Diagnostics.AddWarning("Cannot check the plugin name", "Reading plugin "+quote(name)+": "+err.Error())
	}
}

// secretPaths are the plugin's nested secrets with a write-only form (the
// root config and config_wo are planned by the framework: config is not
// Computed).
var secretPaths = sync.OnceValue(func() []*tftypes.AttributePath {
	var resp resource.SchemaResponse
	(&pluginResource{}).Schema(context.Background(), resource.SchemaRequest{}, &resp)
	var nested []*tftypes.AttributePath
	for _, p := range secret.PlainPaths(resp.Schema) {
		if len(p.Steps()) > 1 {
			nested = append(nested, p)
		}
	}
	return nested
})

// Create refuses a name Bifrost already has (a create must not take over
// a plugin: Bifrost's PUT would replace it silently), then POSTs.
func (r *pluginResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan pluginModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := plan.Name.ValueString()
	existing, err := r.client.GetPlugin(ctx, name)
	switch {
	case err == nil:
		r.taken(&resp.Diagnostics, existing.Name, nil)
		return
	case !bifrost.IsNotFound(err):
		resp.Diagnostics.AddError("Cannot create the plugin", "Checking that no plugin is named "+quote(name)+": "+err.Error())
		return
	}
	written := writeOnlyFromConfig(ctx, req.Config, &plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	body := expandCreate(plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	got, err := r.client.CreatePlugin(ctx, body)
	if err != nil && bifrost.MayHaveStored(err) {
		// No plugin had the name just before: one that has it now was
		// stored by this create although its answer was lost or an error.
		if p, gerr := r.client.GetPlugin(ctx, name); gerr == nil {
			tflog.Info(ctx, "Plugin stored by this create although Bifrost's answer was an error; adopting it", map[string]any{"name": name, "error": err.Error()})
			got, err = p, nil
		}
	}
	switch {
	case bifrost.IsConflict(err):
		r.taken(&resp.Diagnostics, name, err)
		return
	case err != nil:
		resp.Diagnostics.AddError("Cannot create the plugin", err.Error())
		return
	}
	r.setState(ctx, got, plan, written, resp.Private, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *pluginResource) taken(diags *diag.Diagnostics, name string, err error) {
	detail := fmt.Sprintf("Bifrost already has a plugin named %s. Terraform does not take it over silently (Bifrost's update would replace "+
		"its configuration): to manage it, import it with %s; or choose another name.", quote(name), importHint(name))
	if err != nil {
		detail += "\n\nBifrost said: " + err.Error()
	}
	diags.AddAttributeError(path.Root("name"), "Plugin already exists", detail)
}

func (r *pluginResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state pluginModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	got, ok := kind.Read(ctx, r.client, resp, state.ID, state.Name)
	if !ok {
		return
	}
	newState := flatten(got, state)
	for _, t := range typedConfigs {
		if !typedValue(newState, t).IsNull() {
			warnUnshown(t, got.Name, got.Config, &resp.Diagnostics)
		}
	}
	keepWriteOnly(ctx, state, &newState, nil, &resp.Diagnostics)
	checkDrift(ctx, resp.Private, got, &newState, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, newState)...)
	resp.Diagnostics.Append(governance.SetIdentity(ctx, resp.Identity, newState.ID)...)
}

// Update sends the whole plugin (Bifrost's update is a full replacement).
// A plugin deleted since the plan would be created again by the upsert:
// it is looked for first, and reported as gone instead.
func (r *pluginResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state pluginModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := state.ID.ValueString()
	if _, err := r.client.GetPlugin(ctx, name); err != nil {
		if bifrost.IsNotFound(err) {
			resp.Diagnostics.AddError("Plugin not found", fmt.Sprintf("The plugin %s was deleted outside Terraform since the plan. "+
				"Run terraform apply again: the new plan creates it.", quote(name)))
		} else {
			resp.Diagnostics.AddError("Cannot update the plugin", err.Error())
		}
		return
	}
	written := writeOnlyFromConfig(ctx, req.Config, &plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	body := expandUpdate(plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	got, err := r.client.UpdatePlugin(ctx, name, body)
	if err != nil {
		resp.Diagnostics.AddError("Cannot update the plugin", err.Error())
		return
	}
	r.setState(ctx, got, plan, written, resp.Private, &resp.State, resp.Identity, &resp.Diagnostics)
}

// setState stores the plugin as Bifrost answered it over plan (written:
// the nested secrets just sent from their write-only form), and the
// fingerprints of the secrets written write-only.
func (r *pluginResource) setState(ctx context.Context, got *bifrost.Plugin, plan pluginModel, written []path.Path,
	private providerdata.PrivateState, state stateSetter, ident identitySetter, diags *diag.Diagnostics) {
	newState := flatten(got, plan)
	keepWriteOnly(ctx, plan, &newState, written, diags)
	diags.Append(state.Set(ctx, newState)...)
	diags.Append(recordWrite(ctx, private, got, newState)...)
	diags.Append(governance.SetIdentity(ctx, ident, newState.ID)...)
}

// Delete deletes the plugin; one already gone (v1.5.1 answers 200, v2
// 404) is deleted.
func (r *pluginResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	kind.DeleteResource(ctx, r.client, req, resp)
}

// ImportState accepts "<plugin name>", "name=<plugin name>", or a
// resource identity (Terraform ≥ 1.12). The name is checked by the read
// that follows.
func (r *pluginResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	kind.ImportState(ctx, r.client, req, resp, "Expected \"<plugin name>\".")
}

type (
	stateSetter interface {
		Set(ctx context.Context, val any) diag.Diagnostics
	}
	identitySetter = *tfsdk.ResourceIdentity
)
