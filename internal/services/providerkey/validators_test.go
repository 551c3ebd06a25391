package providerkey_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// Fast, direct versions of TestAccProviderKey_badInput and of the version
// checks of versions_test.go: the plan-time checks of bifrost_provider_key,
// driven at the protocol level as Terraform drives them (validate, then
// plan), without the Terraform CLI. They test what a user sees (error, its
// attribute, its text), not the validators: a check moved between an
// attribute validator, the resource's ValidateConfig and ModifyPlan keeps
// passing.

// keyShape builds configuration values of bifrost_provider_key from its
// schema.
type keyShape struct {
	typ tftypes.Object
}

func newKeyShape(t *testing.T, ps *acctest.ProtocolServer) keyShape {
	t.Helper()
	typ, ok := ps.ResourceType(typeName).(tftypes.Object)
	if !ok {
		t.Fatalf("%s is not an object", ps.ResourceType(typeName))
	}
	return keyShape{typ: typ}
}

// object is a value of the object type typ with the given attributes, the
// others null.
func object(t *testing.T, typ tftypes.Type, attrs map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	return acctest.ObjectValue(t, typ, attrs)
}

// key is a configuration: an openai key with a literal value, changed by
// attrs (a null value removes an attribute).
func (s keyShape) key(attrs map[string]tftypes.Value) map[string]tftypes.Value {
	cfg := map[string]tftypes.Value{
		"provider_name": str("openai"),
		"name":          str("k"),
		"value":         str(okSecret),
	}
	for n, v := range attrs {
		cfg[n] = v
	}
	return cfg
}

// block is a provider-specific block (or a nested block of one, by its path
// of block names) with the given attributes.
func (s keyShape) block(t *testing.T, name string, attrs map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	return object(t, s.typ.AttributeTypes[name], attrs)
}

// aliasConfigs is an alias_configs map.
func (s keyShape) aliasConfigs(t *testing.T, aliases map[string]map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	mt, ok := s.typ.AttributeTypes["alias_configs"].(tftypes.Map)
	if !ok {
		t.Fatalf("alias_configs is %s, not a map", s.typ.AttributeTypes["alias_configs"])
	}
	vals := map[string]tftypes.Value{}
	for name, attrs := range aliases {
		vals[name] = object(t, mt.ElementType, attrs)
	}
	return tftypes.NewValue(mt, vals)
}

func strMap(m map[string]string) tftypes.Value {
	vals := map[string]tftypes.Value{}
	for k, v := range m {
		vals[k] = str(v)
	}
	return tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, vals)
}

func boolean(b bool) tftypes.Value { return tftypes.NewValue(tftypes.Bool, b) }

func nullString() tftypes.Value { return tftypes.NewValue(tftypes.String, nil) }

const (
	okSecret = "sk-valid-0123456789abcdefghij"
	woSecret = "sk-wo-secret-0123456789abcdef"
)

// planTimeDiags is what Terraform reports for a new resource with config at
// plan time: the diagnostics of ValidateResourceConfig and, when it found no
// error, those of PlanResourceChange.
func planTimeDiags(t *testing.T, ps *acctest.ProtocolServer, resourceType string, config map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	t.Helper()
	ctx := context.Background()
	typ := ps.ResourceType(resourceType)
	cfg := ps.Value(t, typ, config)
	v, err := ps.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{
		TypeName: resourceType, Config: &cfg,
		ClientCapabilities: &tfprotov6.ValidateResourceConfigClientCapabilities{WriteOnlyAttributesAllowed: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	if acctest.HasErrors(v.Diagnostics) {
		return v.Diagnostics
	}
	// Terraform proposes the configuration, without write-only values.
	proposedAttrs := map[string]tftypes.Value{}
	for n, val := range config {
		if n != "value_wo" {
			proposedAttrs[n] = val
		}
	}
	proposed := ps.Value(t, typ, proposedAttrs)
	prior := nullValue(t, typ)
	p, err := ps.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: resourceType, Config: &cfg, PriorState: &prior, ProposedNewState: &proposed,
	})
	if err != nil {
		t.Fatal(err)
	}
	return append(v.Diagnostics, p.Diagnostics...)
}

// expectOneError checks that diags are exactly one error, on attribute path,
// whose summary and detail contain every string of want and none of hidden.
func expectOneError(t *testing.T, diags []*tfprotov6.Diagnostic, path string, want, hidden []string) {
	t.Helper()
	acctest.ExpectOneDiag(t, diags, tfprotov6.DiagnosticSeverityError, path, want, hidden)
}

func expectNoDiags(t *testing.T, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	if len(diags) != 0 {
		t.Errorf("want no diagnostics, got:%s", acctest.RenderDiags(diags))
	}
}

// keyCase is one configuration and the one error it must get; path "" and
// no want for a configuration that must pass.
type keyCase struct {
	name   string
	config func(t *testing.T, s keyShape) map[string]tftypes.Value
	path   string
	want   []string
	hidden []string // secrets the message must not show
}

// withKey is a keyCase config: the okKey changed by attrs.
func withKey(attrs map[string]tftypes.Value) func(*testing.T, keyShape) map[string]tftypes.Value {
	return func(_ *testing.T, s keyShape) map[string]tftypes.Value { return s.key(attrs) }
}

const refAllowed = "expected a literal, or a reference of the form env.NAME (NAME: letters, digits, '_') or vault.PATH, with the prefix in lower case"

const providerNameAllowed = "expected a provider name: letters, digits, '_', '.', '-', starting with a letter or digit, at most 64 characters"

var badKeyCases = []keyCase{
	// provider_name: its form, not membership (custom providers).
	{name: "empty provider name", config: withKey(map[string]tftypes.Value{"provider_name": str("")}),
		path: "provider_name", want: []string{"Invalid provider name", `"" is not a valid provider name`, providerNameAllowed}},
	{name: "provider name with a space", config: withKey(map[string]tftypes.Value{"provider_name": str("open ai")}),
		path: "provider_name", want: []string{`"open ai" is not a valid provider name`, providerNameAllowed}},
	{name: "provider name with a slash", config: withKey(map[string]tftypes.Value{"provider_name": str("openai/x")}),
		path: "provider_name", want: []string{`"openai/x" is not a valid provider name`, providerNameAllowed}},
	{name: "provider name starting with a dash", config: withKey(map[string]tftypes.Value{"provider_name": str("-openai")}),
		path: "provider_name", want: []string{`"-openai" is not a valid provider name`, "starting with a letter or digit"}},
	{name: "provider name of 65 characters", config: withKey(map[string]tftypes.Value{"provider_name": str(strings.Repeat("p", 65))}),
		path: "provider_name", want: []string{fmt.Sprintf("%q is not a valid provider name", strings.Repeat("p", 65)), "at most 64 characters"}},

	// name and id.
	{name: "empty name", config: withKey(map[string]tftypes.Value{"name": str("")}),
		path: "name", want: []string{"name string length must be at least 1, got: 0"}},
	{name: "empty id", config: withKey(map[string]tftypes.Value{"id": str("")}),
		path: "id", want: []string{"id string length must be between 1 and 255, got: 0"}},
	{name: "id of 256 characters", config: withKey(map[string]tftypes.Value{"id": str(strings.Repeat("i", 256))}),
		path: "id", want: []string{"between 1 and 255, got: 256"}},

	// Secret references: a malformed one would be stored as a literal.
	{name: "env reference without a name", config: withKey(map[string]tftypes.Value{"value": str("env.")}),
		path: "value", want: []string{"Malformed secret reference", `"env." looks like a reference but is not one Bifrost resolves`, refAllowed}},
	{name: "upper-case env prefix", config: withKey(map[string]tftypes.Value{"value": str("ENV.OPENAI_API_KEY")}),
		path: "value", want: []string{`"ENV.OPENAI_API_KEY" looks like a reference`, refAllowed}},
	{name: "env name with a dash", config: withKey(map[string]tftypes.Value{"value": str("env.MY-KEY")}),
		path: "value", want: []string{`"env.MY-KEY" looks like a reference`, refAllowed}},
	{name: "env name starting with a digit", config: withKey(map[string]tftypes.Value{"value": str("env.1KEY")}),
		path: "value", want: []string{`"env.1KEY" looks like a reference`}},
	{name: "empty vault path", config: withKey(map[string]tftypes.Value{"value": str("vault.")}),
		path: "value", want: []string{`"vault." looks like a reference`, refAllowed}},
	{name: "capitalised vault prefix", config: withKey(map[string]tftypes.Value{"value": str("Vault.secret/openai")}),
		path: "value", want: []string{`"Vault.secret/openai" looks like a reference`}},
	{name: "vault path with a space", config: withKey(map[string]tftypes.Value{"value": str("vault.my secret")}),
		path: "value", want: []string{`"vault.my secret" looks like a reference`}},
	{name: "malformed reference in value_wo", config: withKey(map[string]tftypes.Value{
		"value": nullString(), "value_wo": str("env."), "value_wo_version": num(1)}),
		path: "value_wo", want: []string{`"env." looks like a reference`, refAllowed}},
	{name: "malformed reference in a block", config: func(t *testing.T, s keyShape) map[string]tftypes.Value {
		return s.key(map[string]tftypes.Value{"provider_name": str("azure"), "value": nullString(),
			"azure_key_config": s.block(t, "azure_key_config", map[string]tftypes.Value{"endpoint": str("Env.AZURE_ENDPOINT")})})
	}, path: "azure_key_config.endpoint", want: []string{`"Env.AZURE_ENDPOINT" looks like a reference`, refAllowed}},
	{name: "malformed reference in a sensitive block field", config: func(t *testing.T, s keyShape) map[string]tftypes.Value {
		return s.key(map[string]tftypes.Value{"provider_name": str("bedrock"), "value": nullString(),
			"bedrock_key_config": s.block(t, "bedrock_key_config", map[string]tftypes.Value{"secret_key": str("ENV.AWS_SECRET_ACCESS_KEY")})})
	}, path: "bedrock_key_config.secret_key", want: []string{`"ENV.AWS_SECRET_ACCESS_KEY" looks like a reference`}},
	{name: "malformed reference in an alias", config: func(t *testing.T, s keyShape) map[string]tftypes.Value {
		return s.key(map[string]tftypes.Value{"provider_name": str("bedrock"), "value": nullString(),
			"alias_configs": s.aliasConfigs(t, map[string]map[string]tftypes.Value{
				"smart": {"model_id": str("anthropic.claude"), "region": str("env.aws-region")}})})
	}, path: `alias_configs["smart"].region`, want: []string{`"env.aws-region" looks like a reference`}},

	// value, value_wo, value_wo_version.
	{name: "value and value_wo together", config: withKey(map[string]tftypes.Value{"value_wo": str(woSecret), "value_wo_version": num(1)}),
		path: "value", want: []string{"Invalid Attribute Combination", `Attribute "value_wo" cannot be specified when "value" is specified`},
		hidden: []string{okSecret, woSecret}},
	{name: "value_wo without version", config: withKey(map[string]tftypes.Value{"value": nullString(), "value_wo": str(woSecret)}),
		path: "value_wo", want: []string{"Invalid Attribute Combination", `Attribute "value_wo_version" must be specified when "value_wo" is specified`},
		hidden: []string{woSecret}},
	{name: "version without value_wo", config: withKey(map[string]tftypes.Value{"value_wo_version": num(3)}),
		path: "value_wo_version", want: []string{"Invalid Attribute Combination", `Attribute "value_wo" must be specified when "value_wo_version" is specified`},
		hidden: []string{okSecret}},

	// weight.
	{name: "negative weight", config: withKey(map[string]tftypes.Value{"weight": num(-1)}),
		path: "weight", want: []string{"Value out of range", "weight must be at least 0, got -1."}},
	{name: "slightly negative weight", config: withKey(map[string]tftypes.Value{"weight": num(-0.01)}),
		path: "weight", want: []string{"weight must be at least 0, got -0.01."}},

	// models and blacklisted_models: ["*"] alone, or names.
	{name: "wildcard mixed in models", config: withKey(map[string]tftypes.Value{"models": strSet("*", "gpt-4o")}),
		path: "models", want: []string{"Wildcard mixed with model names", "models is [", `"gpt-4o"`, `"*" means every model`, `Use ["*"] alone, or list the models`}},
	{name: "wildcard mixed in blacklisted_models", config: withKey(map[string]tftypes.Value{"blacklisted_models": strSet("x", "*")}),
		path: "blacklisted_models", want: []string{"Wildcard mixed with model names", "blacklisted_models is [", `"x"`}},
	{name: "empty model name", config: withKey(map[string]tftypes.Value{"models": strSet("")}),
		path: "models", want: []string{"Empty model name", "models contains an empty model name"}},
	{name: "empty name in blacklisted_models", config: withKey(map[string]tftypes.Value{"blacklisted_models": strSet("gpt-4o", "")}),
		path: "blacklisted_models", want: []string{"blacklisted_models contains an empty model name"}},

	// aliases and alias_configs.
	{name: "empty aliases map", config: withKey(map[string]tftypes.Value{"aliases": strMap(map[string]string{})}),
		path: "aliases", want: []string{"aliases map must contain at least 1 elements, got: 0"}},
	{name: "empty alias target", config: withKey(map[string]tftypes.Value{"aliases": strMap(map[string]string{"gpt-4o": ""})}),
		path: `aliases["gpt-4o"]`, want: []string{"string length must be at least 1, got: 0"}},
	{name: "empty alias name", config: withKey(map[string]tftypes.Value{"aliases": strMap(map[string]string{"": "gpt-4o"})}),
		path: `aliases[""]`, want: []string{"string length must be at least 1, got: 0"}},
	{name: "empty alias_configs map", config: func(t *testing.T, s keyShape) map[string]tftypes.Value {
		return s.key(map[string]tftypes.Value{"alias_configs": s.aliasConfigs(t, nil)})
	}, path: "alias_configs", want: []string{"alias_configs map must contain at least 1 elements, got: 0"}},
	{name: "empty alias model_id", config: func(t *testing.T, s keyShape) map[string]tftypes.Value {
		return s.key(map[string]tftypes.Value{"alias_configs": s.aliasConfigs(t, map[string]map[string]tftypes.Value{"smart": {"model_id": str("")}})})
	}, path: `alias_configs["smart"].model_id`, want: []string{"string length must be at least 1, got: 0"}},
	{name: "model family Bifrost does not know", config: func(t *testing.T, s keyShape) map[string]tftypes.Value {
		return s.key(map[string]tftypes.Value{"alias_configs": s.aliasConfigs(t, map[string]map[string]tftypes.Value{
			"smart": {"model_id": str("gpt-4o"), "model_family": str("claude")}})})
	}, path: `alias_configs["smart"].model_family`, want: []string{"value must be one of", `"anthropic"`, `"openai"`, `"titan"`, `got: "claude"`}},
	{name: "alias in aliases and alias_configs", config: func(t *testing.T, s keyShape) map[string]tftypes.Value {
		return s.key(map[string]tftypes.Value{
			"aliases":       strMap(map[string]string{"fast": "gpt-4o-mini", "other": "gpt-4o"}),
			"alias_configs": s.aliasConfigs(t, map[string]map[string]tftypes.Value{"fast": {"model_id": str("gpt-4o-mini")}}),
		})
	}, path: `alias_configs["fast"]`, want: []string{"Alias defined twice", `The alias "fast" is in both aliases and alias_configs`, "Keep it in one of them"}},

	// Provider-type blocks.
	{name: "two provider blocks", config: func(t *testing.T, s keyShape) map[string]tftypes.Value {
		return s.key(map[string]tftypes.Value{"provider_name": str("azure"), "value": nullString(),
			"azure_key_config":  s.block(t, "azure_key_config", map[string]tftypes.Value{"endpoint": str("https://x.openai.azure.com")}),
			"vertex_key_config": s.block(t, "vertex_key_config", map[string]tftypes.Value{"project_id": str("p")}),
		})
	}, path: "vertex_key_config", want: []string{"Only one provider-specific block is allowed", "The key has azure_key_config and vertex_key_config", "at most one provider-specific block"}},
	{name: "vertex block on azure", config: func(t *testing.T, s keyShape) map[string]tftypes.Value {
		return s.key(map[string]tftypes.Value{"provider_name": str("azure"), "value": nullString(),
			"vertex_key_config": s.block(t, "vertex_key_config", map[string]tftypes.Value{"project_id": str("p")})})
	}, path: "vertex_key_config", want: []string{"Block does not match the provider", `vertex_key_config configures vertex keys, but provider_name is "azure"`}},
	{name: "replicate block on openai", config: func(t *testing.T, s keyShape) map[string]tftypes.Value {
		return s.key(map[string]tftypes.Value{"replicate_key_config": s.block(t, "replicate_key_config", map[string]tftypes.Value{"use_deployments_endpoint": boolean(true)})})
	}, path: "replicate_key_config", want: []string{`replicate_key_config configures replicate keys, but provider_name is "openai"`}},
	{name: "bedrock block on vertex", config: func(t *testing.T, s keyShape) map[string]tftypes.Value {
		return s.key(map[string]tftypes.Value{"provider_name": str("vertex"), "value": nullString(),
			"bedrock_key_config": s.block(t, "bedrock_key_config", map[string]tftypes.Value{"region": str("us-east-1")})})
	}, path: "bedrock_key_config", want: []string{`bedrock_key_config configures bedrock keys, but provider_name is "vertex"`}},
	{name: "bedrock_mantle block on bedrock", config: func(t *testing.T, s keyShape) map[string]tftypes.Value {
		return s.key(map[string]tftypes.Value{"provider_name": str("bedrock"), "value": nullString(),
			"bedrock_mantle_key_config": s.block(t, "bedrock_mantle_key_config", map[string]tftypes.Value{"region": str("us-east-1")})})
	}, path: "bedrock_mantle_key_config", want: []string{`bedrock_mantle_key_config configures bedrock_mantle keys, but provider_name is "bedrock"`}},
	{name: "ollama without block", config: withKey(map[string]tftypes.Value{"provider_name": str("ollama"), "value": nullString()}),
		path: "ollama_key_config.url", want: []string{"Missing ollama URL", `ollama keys need ollama_key_config { url = "http://host:port" }`}},
	{name: "ollama block without url", config: func(t *testing.T, s keyShape) map[string]tftypes.Value {
		return s.key(map[string]tftypes.Value{"provider_name": str("ollama"), "value": nullString(),
			"ollama_key_config": s.block(t, "ollama_key_config", nil)})
	}, path: "ollama_key_config.url", want: []string{"Missing ollama URL"}},
	{name: "sgl without block", config: withKey(map[string]tftypes.Value{"provider_name": str("sgl"), "value": nullString()}),
		path: "sgl_key_config.url", want: []string{"Missing sgl URL", "sgl keys need sgl_key_config"}},
	{name: "sgl with an empty url", config: func(t *testing.T, s keyShape) map[string]tftypes.Value {
		return s.key(map[string]tftypes.Value{"provider_name": str("sgl"), "value": nullString(),
			"sgl_key_config": s.block(t, "sgl_key_config", map[string]tftypes.Value{"url": str("")})})
	}, path: "sgl_key_config.url", want: []string{"Missing sgl URL"}},
	{name: "azure scopes empty", config: func(t *testing.T, s keyShape) map[string]tftypes.Value {
		return s.key(map[string]tftypes.Value{"provider_name": str("azure"), "value": nullString(),
			"azure_key_config": s.block(t, "azure_key_config", map[string]tftypes.Value{
				"endpoint": str("https://x.openai.azure.com"),
				"scopes":   tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{}),
			})})
	}, path: "azure_key_config.scopes", want: []string{"list must contain at least 1 elements, got: 0"}},
	{name: "bucket with an empty name", config: func(t *testing.T, s keyShape) map[string]tftypes.Value {
		bedrock := s.typ.AttributeTypes["bedrock_key_config"].(tftypes.Object)
		batch := bedrock.AttributeTypes["batch_s3_config"].(tftypes.Object)
		buckets := batch.AttributeTypes["bucket"].(tftypes.List)
		return s.key(map[string]tftypes.Value{"provider_name": str("bedrock"), "value": nullString(),
			"bedrock_key_config": s.block(t, "bedrock_key_config", map[string]tftypes.Value{
				"batch_s3_config": object(t, batch, map[string]tftypes.Value{
					"bucket": tftypes.NewValue(buckets, []tftypes.Value{object(t, buckets.ElementType, map[string]tftypes.Value{"bucket_name": str("")})}),
				}),
			})})
	}, path: "bedrock_key_config.batch_s3_config.bucket[0].bucket_name", want: []string{"string length must be at least 1, got: 0"}},

	// A key value, except for the provider types that may have none. (The
	// message's list of those types leaves out bedrock_mantle, which may
	// have none too: not asserted here.)
	{name: "openai without value", config: withKey(map[string]tftypes.Value{"value": nullString()}),
		path: "value", want: []string{"Missing key value", "openai keys need a value", "set value (or value_wo with value_wo_version)", "Only azure, bedrock, bedrock_mantle, ollama, sgl, vertex, vllm keys may have an empty value"}},
	{name: "anthropic with an empty value", config: withKey(map[string]tftypes.Value{"provider_name": str("anthropic"), "value": str("")}),
		path: "value", want: []string{"anthropic keys need a value"}},
	{name: "openai with an empty value_wo", config: withKey(map[string]tftypes.Value{"value": nullString(), "value_wo": str(""), "value_wo_version": num(1)}),
		path: "value", want: []string{"openai keys need a value"}},
}

// aliasFieldCases: an alias_configs field of another provider's sub-config
// (Bifrost 2 answers 400).
var aliasFieldCases = []struct {
	provider, field string
	value           tftypes.Value
	owner           string
}{
	{"bedrock", "api_version", str("2024-10-21"), "azure"},
	{"openai", "anthropic_version", str("2023-06-01"), "azure"},
	{"vertex", "endpoint", str("https://x.openai.azure.com"), "azure"},
	{"bedrock", "project_number", str("123456789012"), "vertex"},
	{"azure", "force_single_region", boolean(true), "vertex"},
	{"vertex", "inference_profile_arn", str("arn:aws:bedrock:us-east-1:123456789012:inference-profile/x"), "bedrock"},
	{"openai", "use_deployments_endpoint", boolean(true), "replicate"},
}

var goodKeyCases = []keyCase{
	{name: "plain openai key", config: withKey(nil)},
	{name: "custom provider name", config: withKey(map[string]tftypes.Value{"provider_name": str("my-custom.provider_1")})},
	{name: "provider name of 64 characters", config: withKey(map[string]tftypes.Value{"provider_name": str(strings.Repeat("p", 64))})},
	{name: "env reference", config: withKey(map[string]tftypes.Value{"value": str("env.OPENAI_API_KEY")})},
	{name: "vault reference", config: withKey(map[string]tftypes.Value{"value": str("vault.secret/data/openai#key")})},
	{name: "literal that starts like env", config: withKey(map[string]tftypes.Value{"value": str("envy-sk-0123456789abcdef")})},
	{name: "value_wo with version", config: withKey(map[string]tftypes.Value{"value": nullString(), "value_wo": str(woSecret), "value_wo_version": num(1)})},
	{name: "weight 0", config: withKey(map[string]tftypes.Value{"weight": num(0)})},
	{name: "no models", config: withKey(map[string]tftypes.Value{"models": strSet()})},
	{name: "model names", config: withKey(map[string]tftypes.Value{"models": strSet("gpt-4o", "gpt-4o-mini"), "blacklisted_models": strSet("*")})},
	{name: "rich aliases", config: func(t *testing.T, s keyShape) map[string]tftypes.Value {
		return s.key(map[string]tftypes.Value{
			"aliases": strMap(map[string]string{"fast": "gpt-4o-mini"}),
			"alias_configs": s.aliasConfigs(t, map[string]map[string]tftypes.Value{
				"smart": {"model_id": str("gpt-4o"), "model_family": str("openai"), "region": str("env.REGION")}}),
		})
	}},
	{name: "azure alias fields on azure", config: func(t *testing.T, s keyShape) map[string]tftypes.Value {
		return s.key(map[string]tftypes.Value{"provider_name": str("azure"), "value": nullString(),
			"alias_configs": s.aliasConfigs(t, map[string]map[string]tftypes.Value{
				"smart": {"model_id": str("gpt-4o"), "api_version": str("2024-10-21"), "endpoint": str("https://x.openai.azure.com")}})})
	}},
	{name: "azure alias fields on a custom provider", config: func(t *testing.T, s keyShape) map[string]tftypes.Value {
		return s.key(map[string]tftypes.Value{"provider_name": str("my-azure"),
			"alias_configs": s.aliasConfigs(t, map[string]map[string]tftypes.Value{
				"smart": {"model_id": str("gpt-4o"), "api_version": str("2024-10-21")}})})
	}},
	{name: "azure key without value", config: func(t *testing.T, s keyShape) map[string]tftypes.Value {
		return s.key(map[string]tftypes.Value{"provider_name": str("azure"), "value": nullString(),
			"azure_key_config": s.block(t, "azure_key_config", map[string]tftypes.Value{"endpoint": str("env.AZURE_ENDPOINT")})})
	}},
	{name: "bedrock_mantle key without value", config: func(t *testing.T, s keyShape) map[string]tftypes.Value {
		return s.key(map[string]tftypes.Value{"provider_name": str("bedrock_mantle"), "value": nullString(),
			"bedrock_mantle_key_config": s.block(t, "bedrock_mantle_key_config", map[string]tftypes.Value{"region": str("us-west-2")})})
	}},
	{name: "vllm key without block or value", config: withKey(map[string]tftypes.Value{"provider_name": str("vllm"), "value": nullString()})},
	{name: "ollama key with url", config: func(t *testing.T, s keyShape) map[string]tftypes.Value {
		return s.key(map[string]tftypes.Value{"provider_name": str("ollama"), "value": nullString(),
			"ollama_key_config": s.block(t, "ollama_key_config", map[string]tftypes.Value{"url": str("http://localhost:11434")})})
	}},
	{name: "custom provider with its base's block and no value", config: func(t *testing.T, s keyShape) map[string]tftypes.Value {
		return s.key(map[string]tftypes.Value{"provider_name": str("my-azure"), "value": nullString(),
			"azure_key_config": s.block(t, "azure_key_config", map[string]tftypes.Value{"endpoint": str("https://x.openai.azure.com")})})
	}},
	{name: "bedrock bucket", config: func(t *testing.T, s keyShape) map[string]tftypes.Value {
		bedrock := s.typ.AttributeTypes["bedrock_key_config"].(tftypes.Object)
		batch := bedrock.AttributeTypes["batch_s3_config"].(tftypes.Object)
		buckets := batch.AttributeTypes["bucket"].(tftypes.List)
		return s.key(map[string]tftypes.Value{"provider_name": str("bedrock"), "value": nullString(),
			"bedrock_key_config": s.block(t, "bedrock_key_config", map[string]tftypes.Value{
				"batch_s3_config": object(t, batch, map[string]tftypes.Value{
					"bucket": tftypes.NewValue(buckets, []tftypes.Value{object(t, buckets.ElementType, map[string]tftypes.Value{"bucket_name": str("batch")})}),
				}),
			})})
	}},
}

// validationServer is an emulator of the given Bifrost version and the
// provider configured against it. The tables run against v2.2.6, so that
// the v2 attributes of the good inputs plan.
func validationServer(t *testing.T, version string) (*acctest.ProtocolServer, *emulator.Server) {
	t.Helper()
	return hintServer(t, version, emulator.Options{})
}

// expectNoWrites fails when a write reached the server: a refused
// configuration must not change anything.
func expectNoWrites(t *testing.T, srv *emulator.Server) {
	t.Helper()
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
		if n := srv.Count(m, "/api/"); n != 0 {
			t.Errorf("%d %s requests reached the server during plan-time validation", n, m)
		}
	}
}

// TestProviderKeyPlanTimeValidation gives each bad input to the provider as
// Terraform does at plan time, and checks the one error it gets: on the bad
// attribute, naming the bad value (never a secret) and what is allowed.
func TestProviderKeyPlanTimeValidation(t *testing.T) {
	ps, srv := validationServer(t, "v2.2.6")
	s := newKeyShape(t, ps)
	for _, tc := range badKeyCases {
		t.Run(tc.name, func(t *testing.T) {
			expectOneError(t, planTimeDiags(t, ps, typeName, tc.config(t, s)), tc.path, tc.want, tc.hidden)
		})
	}
	for _, tc := range aliasFieldCases {
		t.Run("alias "+tc.field+" on "+tc.provider, func(t *testing.T) {
			cfg := s.key(map[string]tftypes.Value{"provider_name": str(tc.provider), "value": str(okSecret),
				"alias_configs": s.aliasConfigs(t, map[string]map[string]tftypes.Value{"smart": {"model_id": str("m"), tc.field: tc.value}})})
			expectOneError(t, planTimeDiags(t, ps, typeName, cfg), `alias_configs["smart"].`+tc.field, []string{
				"Alias field of another provider",
				fmt.Sprintf(`%s in alias "smart" applies to %s keys only, but provider_name is %q`, tc.field, tc.owner, tc.provider),
				"Remove it from the alias",
			}, nil)
		})
	}
	expectNoWrites(t, srv)
}

// TestProviderKeyPlanTimeValidation_good: valid configurations, including
// the edges of the rules above, plan without any diagnostic.
func TestProviderKeyPlanTimeValidation_good(t *testing.T) {
	ps, srv := validationServer(t, "v2.2.6")
	s := newKeyShape(t, ps)
	for _, tc := range goodKeyCases {
		t.Run(tc.name, func(t *testing.T) {
			expectNoDiags(t, planTimeDiags(t, ps, typeName, tc.config(t, s)))
		})
	}
	expectNoWrites(t, srv)
}

// TestProviderKeyPlanTimeValidation_unknownValues: values known only at
// apply are not judged at plan time.
func TestProviderKeyPlanTimeValidation_unknownValues(t *testing.T) {
	ps, _ := validationServer(t, "v2.2.6")
	s := newKeyShape(t, ps)
	unknown := tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	for name, cfg := range map[string]map[string]tftypes.Value{
		"provider_name": s.key(map[string]tftypes.Value{"provider_name": unknown, "value": nullString()}),
		"value":         s.key(map[string]tftypes.Value{"value": unknown}),
		"models":        s.key(map[string]tftypes.Value{"models": tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, tftypes.UnknownValue)}),
		"ollama url": s.key(map[string]tftypes.Value{"provider_name": str("ollama"), "value": nullString(),
			"ollama_key_config": s.block(t, "ollama_key_config", map[string]tftypes.Value{"url": unknown})}),
	} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			dv := ps.Value(t, ps.ResourceType(typeName), cfg)
			v, err := ps.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: typeName, Config: &dv})
			if err != nil {
				t.Fatal(err)
			}
			expectNoDiags(t, v.Diagnostics)
		})
	}
}

// TestProviderKeyPlanTimeValidation_serverVersion: attributes only some
// Bifrost versions know are refused at plan time by the others (which would
// silently drop them), naming the attribute, the server and its version.
func TestProviderKeyPlanTimeValidation_serverVersion(t *testing.T) {
	v2Only := []keyCase{
		{name: "use_anthropic_endpoints", config: withKey(map[string]tftypes.Value{"use_anthropic_endpoints": boolean(true)}),
			path: "use_anthropic_endpoints"},
		{name: "alias_configs", config: func(t *testing.T, s keyShape) map[string]tftypes.Value {
			return s.key(map[string]tftypes.Value{"alias_configs": s.aliasConfigs(t, map[string]map[string]tftypes.Value{"smart": {"model_id": str("gpt-4o")}})})
		}, path: "alias_configs"},
		{name: "vertex force_single_region", config: func(t *testing.T, s keyShape) map[string]tftypes.Value {
			return s.key(map[string]tftypes.Value{"provider_name": str("vertex"), "value": nullString(),
				"vertex_key_config": s.block(t, "vertex_key_config", map[string]tftypes.Value{"project_id": str("p"), "force_single_region": boolean(true)})})
		}, path: "vertex_key_config.force_single_region"},
		{name: "bedrock project_id", config: func(t *testing.T, s keyShape) map[string]tftypes.Value {
			return s.key(map[string]tftypes.Value{"provider_name": str("bedrock"), "value": nullString(),
				"bedrock_key_config": s.block(t, "bedrock_key_config", map[string]tftypes.Value{"project_id": str("p")})})
		}, path: "bedrock_key_config.project_id"},
		{name: "bedrock_mantle_key_config", config: func(t *testing.T, s keyShape) map[string]tftypes.Value {
			return s.key(map[string]tftypes.Value{"provider_name": str("bedrock_mantle"), "value": nullString(),
				"bedrock_mantle_key_config": s.block(t, "bedrock_mantle_key_config", map[string]tftypes.Value{"region": str("us-west-2")})})
		}, path: "bedrock_mantle_key_config"},
	}
	azureAPIVersion := func(t *testing.T, s keyShape) map[string]tftypes.Value {
		return s.key(map[string]tftypes.Value{"provider_name": str("azure"), "value": nullString(),
			"azure_key_config": s.block(t, "azure_key_config", map[string]tftypes.Value{
				"endpoint": str("https://x.openai.azure.com"), "api_version": str("2024-10-21")})})
	}
	// What every version stores for an unset boolean is not a v2 field.
	falseBooleans := []keyCase{
		{name: "use_anthropic_endpoints false", config: withKey(map[string]tftypes.Value{"use_anthropic_endpoints": boolean(false)})},
		{name: "vertex force_single_region false", config: func(t *testing.T, s keyShape) map[string]tftypes.Value {
			return s.key(map[string]tftypes.Value{"provider_name": str("vertex"), "value": nullString(),
				"vertex_key_config": s.block(t, "vertex_key_config", map[string]tftypes.Value{"project_id": str("p"), "force_single_region": boolean(false)})})
		}},
	}

	t.Run("v1.5.1", func(t *testing.T) {
		ps, srv := validationServer(t, "v1.5.1")
		s := newKeyShape(t, ps)
		for _, tc := range v2Only {
			t.Run("refuses "+tc.name, func(t *testing.T) {
				expectOneError(t, planTimeDiags(t, ps, typeName, tc.config(t, s)), tc.path, []string{
					"Not supported by this Bifrost version",
					tc.path + " needs Bifrost ≥ 2.0, but the server at " + srv.URL() + " runs v1.5.1",
					"Remove it or upgrade Bifrost",
				}, nil)
			})
		}
		t.Run("accepts azure api_version", func(t *testing.T) {
			expectNoDiags(t, planTimeDiags(t, ps, typeName, azureAPIVersion(t, s)))
		})
		for _, tc := range falseBooleans {
			t.Run("accepts "+tc.name, func(t *testing.T) {
				expectNoDiags(t, planTimeDiags(t, ps, typeName, tc.config(t, s)))
			})
		}
		// The version is asked once per provider instance (Terraform run).
		if n := srv.Count(http.MethodGet, "/api/version"); n != 1 {
			t.Errorf("/api/version asked %d times, want once", n)
		}
		expectNoWrites(t, srv)
	})

	t.Run("v2.2.6", func(t *testing.T) {
		ps, srv := validationServer(t, "v2.2.6")
		s := newKeyShape(t, ps)
		t.Run("refuses azure api_version", func(t *testing.T) {
			expectOneError(t, planTimeDiags(t, ps, typeName, azureAPIVersion(t, s)), "azure_key_config.api_version", []string{
				"Not supported by this Bifrost version",
				"azure_key_config.api_version is not a key field in Bifrost ≥ 2.0 (the server at " + srv.URL() + " runs v2.2.6",
				`alias_configs = { "<alias>" = { model_id = "...", api_version = "..." } }`,
			}, nil)
		})
		for _, tc := range append(v2Only, falseBooleans...) {
			t.Run("accepts "+tc.name, func(t *testing.T) {
				expectNoDiags(t, planTimeDiags(t, ps, typeName, tc.config(t, s)))
			})
		}
		expectNoWrites(t, srv)
	})

	t.Run("no version asked without versioned attributes", func(t *testing.T) {
		ps, srv := validationServer(t, "v1.5.1")
		s := newKeyShape(t, ps)
		expectNoDiags(t, planTimeDiags(t, ps, typeName, s.key(nil)))
		if n := srv.Count(http.MethodGet, "/api/version"); n != 0 {
			t.Errorf("/api/version asked %d times for a key without versioned attributes", n)
		}
	})

	t.Run("version unreadable", func(t *testing.T) {
		ps, srv := validationServer(t, "v1.5.1")
		s := newKeyShape(t, ps)
		srv.FailNext(1, emulator.Fault{Method: http.MethodGet, PathPrefix: "/api/version", Status: http.StatusInternalServerError, Message: "version store down"})
		diags := planTimeDiags(t, ps, typeName, v2Only[0].config(t, s))
		if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityWarning ||
			diags[0].Summary != "Cannot tell the Bifrost version" || !strings.Contains(diags[0].Detail, "version store down") {
			t.Errorf("want one warning that the version cannot be read, with the server's error; got:%s", acctest.RenderDiags(diags))
		}
	})
}
