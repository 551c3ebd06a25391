package providerkey

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/tfvalidate"
)

var (
	envRefRe   = regexp.MustCompile(`^env\.[A-Za-z_][A-Za-z0-9_]*$`)
	vaultRefRe = regexp.MustCompile(`^vault\.\S+$`)
)

// looksLikeReference reports whether s starts like a reference, in any case:
// a wrongly cased prefix makes Bifrost store the reference as a literal.
// Every configured secret goes through it, so it is a prefix comparison, not
// a regular expression.
func looksLikeReference(s string) bool {
	hasPrefix := func(p string) bool { return len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) }
	return hasPrefix(bifrost.EnvPrefix) || hasPrefix(bifrost.VaultPrefix)
}

// providerNameValidator checks the form of a provider name.
var providerNameValidator = tfvalidate.ProviderName("", `"openai" or "my-custom-provider"`)

// referenceDescription is what secretRefValidator accepts.
const referenceDescription = "a literal, or a reference of the form env.NAME (NAME: letters, digits, '_') or vault.PATH"

// secretRefValidator rejects malformed references ("env.", "ENV.X") that
// Bifrost would store as literal secrets. It never prints a literal value.
var secretRefValidator = tfvalidate.String(referenceDescription, func(s string, p path.Path, diags *diag.Diagnostics) {
	if !looksLikeReference(s) {
		return
	}
	if envRefRe.MatchString(s) || vaultRefRe.MatchString(s) {
		return
	}
	diags.AddAttributeError(p, "Malformed secret reference",
		fmt.Sprintf("%q looks like a reference but is not one Bifrost resolves: expected %s, with the prefix in lower case (e.g. \"env.OPENAI_API_KEY\").", s, referenceDescription))
})

// atLeast is float64validator.AtLeast with the numbers written as in a
// configuration ("weight must be at least 0, got -0.5"), not with %f
// ("0.000000", "-0.500000"); why, when set, says what the bound is for.
type atLeast struct {
	min float64
	why string
}

func (v atLeast) Description(context.Context) string {
	return "value must be at least " + formatNumber(v.min)
}

func (v atLeast) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v atLeast) ValidateFloat64(_ context.Context, req validator.Float64Request, resp *validator.Float64Response) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if got := req.ConfigValue.ValueFloat64(); got < v.min {
		detail := fmt.Sprintf("%s must be at least %s, got %s.", req.Path, formatNumber(v.min), formatNumber(got))
		if v.why != "" {
			detail += " " + v.why
		}
		resp.Diagnostics.AddAttributeError(req.Path, "Value out of range", detail)
	}
}

// weightAtLeast0 is the rule of weight.
var weightAtLeast0 = atLeast{min: 0,
	why: "Bifrost picks keys in proportion to their weight: 0 keeps the key out of load balancing while another key has a weight."}

// formatNumber writes a number as short as it reads back: 0, -0.5, 1e+21.
func formatNumber(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// conflictsWithRoot is stringvalidator.ConflictsWith(path.MatchRoot(other)),
// with the same diagnostic, for a top-level attribute: it reads the other
// attribute from the raw configuration instead of matching a path
// expression against every attribute of the configuration.
type conflictsWithRoot struct{ other string }

func (v conflictsWithRoot) Description(context.Context) string {
	return fmt.Sprintf("Ensure that if an attribute is set, %s is not set", v.other)
}

func (v conflictsWithRoot) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v conflictsWithRoot) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	config, err := objectAttrs(req.Config.Raw)
	if err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Cannot read the configuration", err.Error())
		return
	}
	other, ok := config[v.other]
	if !ok || !other.IsKnown() || other.IsNull() {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid Attribute Combination",
		fmt.Sprintf("Attribute %q cannot be specified when %q is specified", v.other, req.Path))
}

// modelListValidator enforces Bifrost's white/black list rules: "*" alone
// or names only.
type modelListValidator struct{ list string }

func (v modelListValidator) Description(context.Context) string {
	return `either ["*"] alone, or model names without "*"; no empty names`
}

func (v modelListValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v modelListValidator) ValidateSet(ctx context.Context, req validator.SetRequest, resp *validator.SetResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	var names []types.String
	resp.Diagnostics.Append(req.ConfigValue.ElementsAs(ctx, &names, false)...)
	var known []string
	for _, n := range names {
		if n.IsUnknown() {
			return
		}
		if n.ValueString() == "" {
			resp.Diagnostics.AddAttributeError(req.Path, "Empty model name", fmt.Sprintf("%s contains an empty model name.", v.list))
			return
		}
		known = append(known, n.ValueString())
	}
	if len(known) > 1 {
		for _, n := range known {
			if n == "*" {
				resp.Diagnostics.AddAttributeError(req.Path, "Wildcard mixed with model names",
					fmt.Sprintf("%s is [%s]: \"*\" means every model and cannot be combined with other names. Use [\"*\"] alone, or list the models.",
						v.list, quoteAll(known)))
				return
			}
		}
	}
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// blockProviders maps each provider-specific block to the provider type it
// configures.
var blockProviders = []struct{ block, provider string }{
	{"azure_key_config", "azure"},
	{"vertex_key_config", "vertex"},
	{"bedrock_key_config", "bedrock"},
	{"vllm_key_config", "vllm"},
	{"ollama_key_config", "ollama"},
	{"sgl_key_config", "sgl"},
	{"replicate_key_config", "replicate"},
	{"bedrock_mantle_key_config", "bedrock_mantle"},
}

func (m keyModel) presentBlocks() []string {
	present := map[string]bool{
		"azure_key_config": m.AzureKeyConfig != nil, "vertex_key_config": m.VertexKeyConfig != nil,
		"bedrock_key_config": m.BedrockKeyConfig != nil, "vllm_key_config": m.VLLMKeyConfig != nil,
		"ollama_key_config": m.OllamaKeyConfig != nil, "sgl_key_config": m.SGLKeyConfig != nil,
		"replicate_key_config": m.ReplicateKeyConfig != nil, "bedrock_mantle_key_config": m.MantleKeyConfig != nil,
	}
	var out []string
	for _, b := range blockProviders {
		if present[b.block] {
			out = append(out, b.block)
		}
	}
	return out
}

// ValidateConfig checks the rules that span attributes, at plan time.
func (r *keyResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m keyModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !m.Aliases.IsNull() && !m.Aliases.IsUnknown() && !m.AliasConfigs.IsNull() && !m.AliasConfigs.IsUnknown() {
		for name := range m.Aliases.Elements() {
			if _, dup := m.AliasConfigs.Elements()[name]; dup {
				resp.Diagnostics.AddAttributeError(path.Root("alias_configs").AtMapKey(name), "Alias defined twice",
					fmt.Sprintf("The alias %q is in both aliases and alias_configs; Bifrost keeps one target per alias name. Keep it in one of them.", name))
			}
		}
	}
	blocks := m.presentBlocks()
	if len(blocks) > 1 {
		resp.Diagnostics.AddAttributeError(path.Root(blocks[1]), "Only one provider-specific block is allowed",
			fmt.Sprintf("The key has %s; a key carries at most one provider-specific block, the one of its provider's type.", strings.Join(blocks, " and ")))
		return
	}
	if m.ProviderName.IsUnknown() || m.ProviderName.IsNull() {
		return
	}
	provider := m.ProviderName.ValueString()
	builtin := bifrost.IsStandardProvider(provider)
	if len(blocks) == 1 && builtin {
		for _, b := range blockProviders {
			if b.block == blocks[0] && b.provider != provider {
				resp.Diagnostics.AddAttributeError(path.Root(blocks[0]), "Block does not match the provider",
					fmt.Sprintf("%s configures %s keys, but provider_name is %q. Use the block of the key's provider type (a custom provider may use the block of its base type).",
						blocks[0], b.provider, provider))
				return
			}
		}
	}
	if !builtin {
		return
	}
	checkAliasProviders(ctx, m.AliasConfigs, provider, &resp.Diagnostics)
	switch provider {
	case "ollama", "sgl":
		blockName := provider + "_key_config"
		var url types.String
		if provider == "ollama" && m.OllamaKeyConfig != nil {
			url = m.OllamaKeyConfig.URL
		} else if provider == "sgl" && m.SGLKeyConfig != nil {
			url = m.SGLKeyConfig.URL
		}
		if url.IsUnknown() {
			return
		}
		if url.ValueString() == "" {
			resp.Diagnostics.AddAttributeError(path.Root(blockName).AtName("url"), "Missing "+provider+" URL",
				fmt.Sprintf("%s keys need %s { url = \"http://host:port\" } (a literal or an env.NAME reference).", provider, blockName))
		}
	}
	// A null value (and value_wo) is checked at plan time, on create only:
	// an imported key keeps the value Bifrost holds (see ModifyPlan).
	value := m.Value
	if value.IsNull() {
		value = m.ValueWO
	}
	if bifrost.ValueMayBeEmpty(provider) || value.IsUnknown() || value.IsNull() {
		return
	}
	if value.ValueString() == "" {
		addMissingValue(&resp.Diagnostics, provider)
	}
}

// addMissingValue refuses a key of provider without a value.
func addMissingValue(diags *diag.Diagnostics, provider string) {
	diags.AddAttributeError(path.Root("value"), "Missing key value",
		fmt.Sprintf("%s keys need a value: set value (or value_wo with value_wo_version) to the API key or to an env.NAME reference. "+
			"Only %s keys may have an empty value.", provider, strings.Join(bifrost.ValueOptionalTypes(), ", ")))
}

// checkAliasProviders refuses an alias_configs field of another provider's
// sub-config (for instance api_version on a bedrock key), as Bifrost 2 does
// with a 400 at apply.
func checkAliasProviders(ctx context.Context, aliases types.Map, provider string, diags *diag.Diagnostics) {
	if aliases.IsNull() || aliases.IsUnknown() {
		return
	}
	for name, v := range aliases.Elements() {
		obj, ok := v.(types.Object)
		if !ok || obj.IsNull() || obj.IsUnknown() {
			continue
		}
		for field, value := range obj.Attributes() {
			owner, scoped := bifrost.AliasFieldProviders[field]
			if !scoped || owner == provider || value.IsNull() || value.IsUnknown() {
				continue
			}
			diags.AddAttributeError(path.Root("alias_configs").AtMapKey(name).AtName(field), "Alias field of another provider",
				fmt.Sprintf("%s in alias %q applies to %s keys only, but provider_name is %q: Bifrost 2 refuses it. Remove it from the alias.",
					field, name, owner, provider))
		}
	}
}
