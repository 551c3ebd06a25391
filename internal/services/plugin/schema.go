// Package plugin implements the bifrost_plugin resource and its data
// sources (bifrost_plugin, bifrost_plugins).
package plugin

import (
	"context"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/maximhq/terraform-provider-bifrost/internal/tfvalidate"
)

// builtins are the plugins Bifrost ships: they take no path (Bifrost drops
// it). telemetry, logging, governance and prompts are registered at
// startup whatever the store holds; compat follows client_config.compat.
var builtins = []string{"telemetry", "logging", "governance", "prompts", "compat", "maxim", "semantic_cache", "otel"}

func isBuiltin(name string) bool { return slices.Contains(builtins, name) }

func (r *pluginResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Bifrost plugin (`/api/plugins`): a built-in plugin with a configuration (`otel`, `maxim`, " +
			"`semantic_cache`) or a custom plugin loaded from a `.so` file. The plugin is named by its name; its configuration is a " +
			"JSON object whose keys depend on the plugin.",
		Attributes: mergeAttrs(typedSchemas(), map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The plugin's name (plugins have no other id).",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The plugin's name: a built-in's (`otel`, `maxim`, `semantic_cache`, ...) or a custom plugin's. " +
					"Changing it replaces the plugin. Creating a plugin whose name Bifrost already has fails: import it instead.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:    []validator.String{nameValidator},
			},
			"enabled": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "Whether Bifrost runs the plugin. Default `true`.",
			},
			"config": schema.StringAttribute{
				Optional: true, Sensitive: true, CustomType: configType{},
				MarkdownDescription: "The plugin's configuration: a JSON object (write it with `jsonencode`), compared by meaning. " +
					"Sensitive: Bifrost stores and returns it in clear (API keys, headers). Left out, the plugin has none. For `otel`, `maxim` " +
					"and `semantic_cache`, `otel_config`, `maxim_config` and `semantic_cache_config` are typed alternatives (conflicting with `config`).",
				Validators:    []validator.String{objectValidator, stringvalidator.ConflictsWith(path.MatchRoot("config_wo"))},
				PlanModifiers: []planmodifier.String{keepEquivalent{}},
			},
			"config_wo": schema.StringAttribute{
				Optional: true, Sensitive: true, WriteOnly: true,
				MarkdownDescription: "Write-only alternative to `config` (Terraform ≥ 1.11): the same JSON object, sent to Bifrost but never stored " +
					"in the plan or state. Conflicts with `config` and the typed configs. Change `config_wo_version` to write a new value. " +
					"A change made outside Terraform is detected (only a SHA-256 of the config is kept, in private state) and the plan writes " +
					"`config_wo` again.",
				Validators: []validator.String{objectValidator, stringvalidator.AlsoRequires(path.MatchRoot("config_wo_version"))},
			},
			"config_wo_version": schema.Int64Attribute{
				Optional:            true,
				MarkdownDescription: "Version of `config_wo`; change it to send a new `config_wo` to Bifrost.",
				Validators:          []validator.Int64{int64validator.AlsoRequires(path.MatchRoot("config_wo"))},
			},
			"path": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The path of a custom plugin's shared object (`.so`) on the Bifrost server. Not for the built-in " +
					"plugins (Bifrost ignores it).",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"placement": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Where the plugin runs relative to the built-in plugins: `pre_builtin` or `post_builtin`. Left out, Bifrost's default.",
				Validators:          []validator.String{stringvalidator.OneOf("pre_builtin", "post_builtin")},
			},
			"order": schema.Int64Attribute{
				Optional:            true,
				MarkdownDescription: "The plugin's position among the plugins of its placement.",
			},
			"is_custom": schema.BoolAttribute{
				Computed: true, MarkdownDescription: "Whether Bifrost sees the plugin as a custom one (not a built-in).",
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
		}),
	}
}

// mergeAttrs is the union of the attribute maps.
func mergeAttrs(maps ...map[string]schema.Attribute) map[string]schema.Attribute {
	out := map[string]schema.Attribute{}
	for _, m := range maps {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

func (r *pluginResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{RequiredForImport: true, Description: "The plugin's name."},
		},
	}
}

// ValidateConfig refuses a path on a built-in plugin (Bifrost drops it, so
// it would show as a change on every plan), and a typed config next to
// config or on another plugin.
func (r *pluginResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m pluginModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	validateTyped(m, &resp.Diagnostics)
	if m.Name.IsUnknown() || m.Path.IsNull() || m.Path.IsUnknown() {
		return
	}
	if isBuiltin(m.Name.ValueString()) {
		resp.Diagnostics.AddAttributeError(path.Root("path"), "Path on a built-in plugin",
			"\""+m.Name.ValueString()+"\" is a built-in plugin: Bifrost loads it itself and drops any path. Remove path, "+
				"or give a custom plugin another name.")
	}
}

// nameValidator refuses names Bifrost cannot address: empty, with a "/"
// (the name is a URL path segment), or with spaces around it.
var nameValidator = tfvalidate.String("a non-empty name without \"/\" or surrounding spaces", func(n string, p path.Path, diags *diag.Diagnostics) {
	switch {
	case n == "":
		diags.AddAttributeError(p, "Empty name", "name is \"\": Bifrost refuses a plugin without a name (\"Plugin name is required\").")
	case strings.Contains(n, "/"):
		diags.AddAttributeError(p, "Invalid plugin name",
			"name "+quote(n)+" contains \"/\": Bifrost addresses a plugin by its name in the URL (/api/plugins/<name>), so it could not be read, updated or deleted.")
	case strings.TrimSpace(n) != n:
		diags.AddAttributeError(p, "Invalid plugin name", "name "+quote(n)+" begins or ends with white space.")
	}
})
