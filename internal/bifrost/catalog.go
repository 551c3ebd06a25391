package bifrost

import (
	"maps"
	"regexp"
	"slices"
)

// standardProviders are the provider types built into Bifrost (v1.5 and v2).
var standardProviders = map[string]bool{
	"openai": true, "azure": true, "anthropic": true, "bedrock": true, "cohere": true, "vertex": true,
	"mistral": true, "ollama": true, "groq": true, "sgl": true, "parasail": true, "perplexity": true,
	"cerebras": true, "gemini": true, "openrouter": true, "elevenlabs": true, "huggingface": true,
	"nebius": true, "xai": true, "replicate": true, "vllm": true, "runway": true, "fireworks": true,
	// v2 additions.
	"bedrock_mantle": true, "deepseek": true, "opencode-go": true, "opencode-zen": true, "runware": true,
	"sarvam": true, "wafer": true, "zro": true, "databricks": true,
}

// valueOptional are the provider types whose keys may have an empty value.
var valueOptional = map[string]bool{
	"azure": true, "bedrock": true, "vertex": true, "vllm": true, "ollama": true, "sgl": true, "bedrock_mantle": true,
}

// IsStandardProvider reports whether name is one of Bifrost's built-in
// provider types (any other name is a custom provider).
func IsStandardProvider(name string) bool { return standardProviders[name] }

// ValueOptionalTypes lists, sorted, the provider types whose keys may have
// an empty value.
func ValueOptionalTypes() []string { return slices.Sorted(maps.Keys(valueOptional)) }

// ValueMayBeEmpty reports whether keys of a provider type may have no value.
func ValueMayBeEmpty(providerType string) bool { return valueOptional[providerType] }

// customBases are the provider types a custom provider may be based on.
var customBases = []string{"anthropic", "bedrock", "cohere", "gemini", "huggingface", "openai", "replicate"}

// CustomBases lists the provider types a custom provider may be based on.
func CustomBases() []string { return slices.Clone(customBases) }

// IsCustomBase reports whether a custom provider may be based on name.
func IsCustomBase(name string) bool { return slices.Contains(customBases, name) }

// ProviderNamePattern is the form of provider names the Terraform provider
// accepts: custom providers may have any name, so the form is checked, not
// membership in the built-in list.
var ProviderNamePattern = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$`)

// ModelFamilies are the values Bifrost 2 accepts in an alias's model_family
// (core/schemas ModelFamily.IsValid upstream); anything else is refused with
// 400 "Invalid aliases: alias ...: invalid model_family".
var ModelFamilies = []string{"anthropic", "openai", "mistral", "cohere", "gemini", "gemma", "llama", "imagen", "veo", "nova", "titan"}

// AliasFieldProviders maps the alias_configs fields that belong to one
// provider's sub-config to that provider: Bifrost 2 refuses them on keys of
// any other provider (core/schemas KeyAliases.Validate upstream).
var AliasFieldProviders = map[string]string{
	"api_version": "azure", "anthropic_version": "azure", "endpoint": "azure",
	"project_number": "vertex", "force_single_region": "vertex",
	"inference_profile_arn": "bedrock", "use_deployments_endpoint": "replicate",
}
