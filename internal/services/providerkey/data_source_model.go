package providerkey

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

// This file holds what the two data sources (bifrost_provider_key and
// bifrost_provider_keys) and the list resource share: the read-only model of
// a key, its schema, and the key filters.

// keyDataModel is one key as the data sources show it. The provider-specific
// configs reuse the resource's models, and their schema is derived from the
// resource's blocks (configAttributes), so the data sources follow the
// resource when a field is added.
type keyDataModel struct {
	ID                types.String  `tfsdk:"id"`
	Name              types.String  `tfsdk:"name"`
	Value             types.String  `tfsdk:"value"`
	ValueEnvVar       types.String  `tfsdk:"value_env_var"`
	ValueFromEnv      types.Bool    `tfsdk:"value_from_env"`
	Weight            types.Float64 `tfsdk:"weight"`
	Enabled           types.Bool    `tfsdk:"enabled"`
	UseForBatchAPI    types.Bool    `tfsdk:"use_for_batch_api"`
	Models            types.Set     `tfsdk:"models"`
	BlacklistedModels types.Set     `tfsdk:"blacklisted_models"`
	Aliases           types.Map     `tfsdk:"aliases"`

	AzureKeyConfig     *azureModel     `tfsdk:"azure_key_config"`
	VertexKeyConfig    *vertexModel    `tfsdk:"vertex_key_config"`
	BedrockKeyConfig   *bedrockModel   `tfsdk:"bedrock_key_config"`
	VLLMKeyConfig      *vllmModel      `tfsdk:"vllm_key_config"`
	OllamaKeyConfig    *urlModel       `tfsdk:"ollama_key_config"`
	SGLKeyConfig       *urlModel       `tfsdk:"sgl_key_config"`
	ReplicateKeyConfig *replicateModel `tfsdk:"replicate_key_config"`

	ConfigHash  types.String `tfsdk:"config_hash"`
	Status      types.String `tfsdk:"status"`
	Description types.String `tfsdk:"description"`
}

// keyData converts a key read from Bifrost with the resource's own
// flattening (as an import would read it). Only value differs: the data
// sources show the mask Bifrost returns even for a reference, which
// value_env_var then names.
func keyData(ctx context.Context, k *bifrost.Key, provider string) (keyDataModel, diag.Diagnostics) {
	m, diags := flattenKey(ctx, k, provider, keyModel{})
	value := types.StringNull()
	if k.Value.Value != "" {
		value = types.StringValue(k.Value.Value)
	}
	return keyDataModel{
		ID:                 m.ID,
		Name:               m.Name,
		Value:              value,
		ValueEnvVar:        m.ValueEnvVar,
		ValueFromEnv:       m.ValueFromEnv,
		Weight:             m.Weight,
		Enabled:            m.Enabled,
		UseForBatchAPI:     m.UseForBatchAPI,
		Models:             m.Models,
		BlacklistedModels:  m.BlacklistedModels,
		Aliases:            m.Aliases,
		AzureKeyConfig:     m.AzureKeyConfig,
		VertexKeyConfig:    m.VertexKeyConfig,
		BedrockKeyConfig:   m.BedrockKeyConfig,
		VLLMKeyConfig:      m.VLLMKeyConfig,
		OllamaKeyConfig:    m.OllamaKeyConfig,
		SGLKeyConfig:       m.SGLKeyConfig,
		ReplicateKeyConfig: m.ReplicateKeyConfig,
		ConfigHash:         m.ConfigHash,
		Status:             m.Status,
		Description:        m.Description,
	}, diags
}

// keyDataAttributes is the schema of keyDataModel: every attribute computed.
func keyDataAttributes(ctx context.Context) (map[string]schema.Attribute, diag.Diagnostics) {
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: "The key id.",
			Computed:            true,
		},
		"name": schema.StringAttribute{
			MarkdownDescription: "The key name (unique across all providers).",
			Computed:            true,
		},
		"value": schema.StringAttribute{
			MarkdownDescription: "The API key as Bifrost returns it: masked (first 4 + 24 `*` + last 4 characters; " +
				"values of 8 characters or fewer entirely `*`), never the secret. For a reference, the mask of the value Bifrost resolved.",
			Computed:  true,
			Sensitive: true,
		},
		"value_env_var": schema.StringAttribute{
			MarkdownDescription: "The reference (`env.NAME`) Bifrost resolves the key from, or empty for a literal.",
			Computed:            true,
		},
		"value_from_env": schema.BoolAttribute{
			MarkdownDescription: "Whether Bifrost resolves the key from a reference.",
			Computed:            true,
		},
		"weight": schema.Float64Attribute{
			MarkdownDescription: "Load-balancing weight among the provider's keys.",
			Computed:            true,
		},
		"enabled": schema.BoolAttribute{
			MarkdownDescription: "Whether Bifrost uses the key.",
			Computed:            true,
		},
		"use_for_batch_api": schema.BoolAttribute{
			MarkdownDescription: "Whether the key may be used for batch API calls.",
			Computed:            true,
		},
		"models": schema.SetAttribute{
			MarkdownDescription: "Models the key may serve (`[\"*\"]`: all).",
			ElementType:         types.StringType,
			Computed:            true,
		},
		"blacklisted_models": schema.SetAttribute{
			MarkdownDescription: "Models the key must not serve (`[\"*\"]`: all).",
			ElementType:         types.StringType,
			Computed:            true,
		},
		"aliases": schema.MapAttribute{
			MarkdownDescription: "Model name → provider-specific identifier (deployment name, inference profile, fine-tune id); null when none.",
			ElementType:         types.StringType,
			Computed:            true,
		},
		"config_hash": schema.StringAttribute{
			MarkdownDescription: "Hash Bifrost keeps of the config.json version of the key (empty for keys created through the API).",
			Computed:            true,
		},
		"status": schema.StringAttribute{
			MarkdownDescription: "Result of Bifrost's model discovery after the last write of a key of this provider.",
			Computed:            true,
		},
		"description": schema.StringAttribute{
			MarkdownDescription: "Bifrost's explanation of `status`.",
			Computed:            true,
		},
	}
	configs, diags := configAttributes(ctx)
	for name, a := range configs {
		attrs[name] = a
	}
	return attrs, diags
}

// configFieldNote replaces, in the descriptions of the secret-wrapper
// fields, the resource's note about writing them.
const configFieldNote = " The `env.NAME` reference when Bifrost resolves the field from one; otherwise the value as Bifrost returns it, masked except where noted."

// configAttributes returns the resource's provider-specific blocks
// (azure_key_config, bedrock_key_config, ...) as computed nested attributes
// (null when the key has no such config), keeping their names, descriptions
// and sensitivity. Every block but timeouts is one.
func configAttributes(ctx context.Context) (map[string]schema.Attribute, diag.Diagnostics) {
	var rs resource.SchemaResponse
	(&keyResource{}).Schema(ctx, resource.SchemaRequest{}, &rs)
	diags := rs.Diagnostics
	out := map[string]schema.Attribute{}
	for name, b := range rs.Schema.Blocks {
		if name != "timeouts" {
			out[name] = computedBlock(name, b, &diags)
		}
	}
	return out, diags
}

func computedBlock(name string, b rschema.Block, diags *diag.Diagnostics) schema.Attribute {
	switch b := b.(type) {
	case rschema.SingleNestedBlock:
		return schema.SingleNestedAttribute{
			MarkdownDescription: b.MarkdownDescription,
			Computed:            true,
			Attributes:          computedAttributes(name, b.Attributes, b.Blocks, diags),
		}
	case rschema.ListNestedBlock:
		return schema.ListNestedAttribute{
			MarkdownDescription: b.MarkdownDescription,
			Computed:            true,
			NestedObject: schema.NestedAttributeObject{
				Attributes: computedAttributes(name, b.NestedObject.Attributes, b.NestedObject.Blocks, diags),
			},
		}
	}
	diags.AddError("Unsupported block in the data source schema", fmt.Sprintf("Block %s of bifrost_provider_key is a %T, which the data sources cannot show yet. Please report this issue to the provider developers.", name, b))
	return nil
}

func computedAttributes(parent string, attrs map[string]rschema.Attribute, blocks map[string]rschema.Block, diags *diag.Diagnostics) map[string]schema.Attribute {
	out := map[string]schema.Attribute{}
	for name, a := range attrs {
		desc, sensitive := a.GetMarkdownDescription(), a.IsSensitive()
		if d, ok := strings.CutSuffix(desc, secretFieldNote); ok {
			desc = d + configFieldNote
		}
		switch a := a.(type) {
		case rschema.StringAttribute:
			out[name] = schema.StringAttribute{MarkdownDescription: desc, Computed: true, Sensitive: sensitive}
		case rschema.BoolAttribute:
			out[name] = schema.BoolAttribute{MarkdownDescription: desc, Computed: true, Sensitive: sensitive}
		case rschema.ListAttribute:
			out[name] = schema.ListAttribute{MarkdownDescription: desc, Computed: true, Sensitive: sensitive, ElementType: a.ElementType}
		default:
			diags.AddError("Unsupported attribute in the data source schema", fmt.Sprintf("Attribute %s.%s of bifrost_provider_key is a %T, which the data sources cannot show yet. Please report this issue to the provider developers.", parent, name, a))
		}
	}
	for name, b := range blocks {
		out[name] = computedBlock(parent+"."+name, b, diags)
	}
	return out
}

// keyFilter selects keys by name (an unanchored RE2 regular expression) and
// by enabled state; a null criterion selects every key.
type keyFilter struct {
	nameRegex types.String
	enabled   types.Bool
}

// apply returns the selected keys, in Bifrost's order (creation order).
func (f keyFilter) apply(keys []bifrost.Key) ([]bifrost.Key, error) {
	var re *regexp.Regexp
	if !f.nameRegex.IsNull() {
		var err error
		if re, err = regexp.Compile(f.nameRegex.ValueString()); err != nil {
			return nil, err
		}
	}
	var out []bifrost.Key
	for _, k := range keys {
		if re != nil && !re.MatchString(k.Name) {
			continue
		}
		if !f.enabled.IsNull() && f.enabled.ValueBool() != (k.Enabled == nil || *k.Enabled) {
			continue
		}
		out = append(out, k)
	}
	return out, nil
}

// regexpValidator checks at plan time that a string is a valid Go (RE2)
// regular expression.
type regexpValidator struct{}

func (regexpValidator) Description(context.Context) string {
	return "a regular expression in Go's RE2 syntax (https://golang.org/s/re2syntax)"
}

func (v regexpValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v regexpValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := regexp.Compile(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid regular expression",
			fmt.Sprintf("%q is not %s: %s.", req.ConfigValue.ValueString(), v.Description(ctx), err))
	}
}
