package bifrostprovider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/secret"
)

// Bifrost's defaults for a provider created without network_config or
// concurrency_and_buffer_size. The resource sends them explicitly, so what
// the plan shows is what Bifrost stores. (Bifrost reads 0 as "its default"
// at run time but reports the 0 it stored.) The timeouts' defaults depend on
// the server's version: see versionDefaults.
const (
	defaultMaxRetries       = 0
	defaultBackoffInitialMS = 500
	defaultBackoffMaxMS     = 5000
	defaultMaxConnsPerHost  = 5000
	defaultConcurrency      = 1000
	defaultBufferSize       = 5000
)

// Retry backoff bounds the server enforces on a non-zero backoff, in
// milliseconds.
const (
	minBackoffMS = 100
	maxBackoffMS = 1_000_000
)

// requestTypes are the request types of custom_provider_config's
// allowed_requests and request_path_overrides: those of Bifrost v1.5, then
// those newer servers added. A server that does not know one drops it.
var requestTypes = []string{
	"list_models", "text_completion", "text_completion_stream", "chat_completion", "chat_completion_stream",
	"responses", "responses_stream", "count_tokens", "embedding", "speech", "speech_stream", "transcription",
	"transcription_stream", "image_generation", "image_generation_stream", "batch_create", "batch_list",
	"batch_retrieve", "batch_cancel", "batch_results", "file_upload", "file_list", "file_retrieve", "file_delete",
	"file_content",
	// Newer servers.
	"responses_retrieve", "responses_delete", "responses_cancel", "responses_input_items", "rerank", "ocr",
	"image_edit", "image_edit_stream", "image_variation", "video_generation", "video_retrieve", "video_download",
	"video_delete", "video_list", "video_remix", "batch_delete", "container_create", "container_list",
	"container_retrieve", "container_delete", "container_file_create", "container_file_list",
	"container_file_retrieve", "container_file_content", "container_file_delete", "passthrough",
	"passthrough_stream", "websocket_responses", "realtime",
}

// proxyTypes are the values of proxy_config.type.
var proxyTypes = []string{"none", "http", "socks5", "environment"}

const envRefNote = " Accepts a literal or an `env.NAME` reference that Bifrost resolves in its own environment."

func networkAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"base_url": schema.StringAttribute{
			MarkdownDescription: "Base URL of the upstream API, replacing the provider type's default (what custom providers " +
				"and self-hosted types such as ollama or vllm usually need). An `http://` or `https://` URL. " +
				"Bifrost ≥ 2.0 resolves its host name when the provider is written, in Bifrost's own network, and refuses " +
				"a name it cannot resolve and private, link-local or unspecified addresses (loopback is allowed).",
			Optional:   true,
			Validators: []validator.String{httpURLValidator},
		},
		"extra_headers": schema.MapAttribute{
			MarkdownDescription: "Headers Bifrost adds to every upstream request.",
			ElementType:         types.StringType,
			Optional:            true,
			Validators:          []validator.Map{mapvalidator.SizeAtLeast(1), mapvalidator.KeysAre(stringvalidator.LengthAtLeast(1))},
		},
		"default_request_timeout_in_seconds": schema.Int64Attribute{
			MarkdownDescription: "Timeout of an upstream request, in seconds. Default: the server's, `30` on Bifrost 1.x, `300` on Bifrost 2.",
			Optional:            true,
			Computed:            true,
			Validators:          []validator.Int64{int64validator.AtLeast(1)},
		},
		"max_retries": schema.Int64Attribute{
			MarkdownDescription: "How many times Bifrost retries a failed upstream request. Default `0`.",
			Optional:            true,
			Computed:            true,
			Default:             int64default.StaticInt64(defaultMaxRetries),
			Validators:          []validator.Int64{int64validator.AtLeast(0)},
		},
		"retry_backoff_initial": schema.Int64Attribute{
			MarkdownDescription: "First wait between retries, in milliseconds: `0` (Bifrost's default) or 100 to 1000000, at most `retry_backoff_max`. Default `500`.",
			Optional:            true,
			Computed:            true,
			Default:             int64default.StaticInt64(defaultBackoffInitialMS),
		},
		"retry_backoff_max": schema.Int64Attribute{
			MarkdownDescription: "Longest wait between retries, in milliseconds: `0` (Bifrost's default) or 100 to 1000000. Default `5000`.",
			Optional:            true,
			Computed:            true,
			Default:             int64default.StaticInt64(defaultBackoffMaxMS),
		},
		"stream_idle_timeout_in_seconds": schema.Int64Attribute{
			MarkdownDescription: "How long a stream may stay silent before Bifrost closes it, in seconds. " +
				"Default: the server's, `60` on Bifrost 1.x, `120` on Bifrost 2. " + zeroReadBack,
			Optional:   true,
			Computed:   true,
			Validators: []validator.Int64{int64validator.AtLeast(0)},
		},
		"keep_alive_timeout_in_seconds": schema.Int64Attribute{
			MarkdownDescription: "How long Bifrost keeps an idle upstream connection open, in seconds. Bifrost ≥ 2.0 " +
				"(default `30`; null on older servers, which do not have it).",
			Optional:   true,
			Computed:   true,
			Validators: []validator.Int64{int64validator.AtLeast(1)},
		},
		"max_conns_per_host": schema.Int64Attribute{
			MarkdownDescription: "Most TCP connections Bifrost opens to the upstream host. Default `5000`. " + zeroReadBack,
			Optional:            true,
			Computed:            true,
			Default:             int64default.StaticInt64(defaultMaxConnsPerHost),
			Validators:          []validator.Int64{int64validator.AtLeast(0)},
		},
		"insecure_skip_verify": schema.BoolAttribute{
			MarkdownDescription: "Skip verification of the upstream's TLS certificate (last resort; prefer `ca_cert_pem`). Default `false`.",
			Optional:            true,
			Computed:            true,
			Default:             booldefault.StaticBool(false),
		},
		"ca_cert_pem": schema.StringAttribute{
			MarkdownDescription: "PEM-encoded CA certificate Bifrost trusts for the upstream (self-signed or private CA)." + envRefNote +
				" Bifrost returns a literal masked (first 4 + 24 `*` + last 4 characters), the same mask for every PEM certificate: " +
				"a replacement made outside Terraform cannot be detected.",
			Optional:   true,
			Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
		},
	}
}

func concurrencyAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"concurrency": schema.Int64Attribute{
			MarkdownDescription: "Upstream requests Bifrost runs at once for this provider: at least 1, at most `buffer_size`. Default `1000`.",
			Optional:            true,
			Computed:            true,
			Default:             int64default.StaticInt64(defaultConcurrency),
		},
		"buffer_size": schema.Int64Attribute{
			MarkdownDescription: "Requests Bifrost queues for this provider: at least 1. Default `5000`.",
			Optional:            true,
			Computed:            true,
			Default:             int64default.StaticInt64(defaultBufferSize),
		},
	}
}

// zeroReadBack explains why 0 is accepted where it makes no sense as a
// setting: Bifrost 1.5 reads it back for a provider written with a
// network_config that leaves the field out, so an import (and the
// configuration Terraform generates from it) holds 0.
const zeroReadBack = "`0` is what Bifrost 1.x reads back for a provider written without the field (an import, a generated " +
	"configuration), and is accepted for that."

// passwordWODetection is the drift note of proxy_config.password_wo.
const passwordWODetection = "Bifrost returns a literal password as `<REDACTED>`, the same for every password: " +
	"a change made outside Terraform cannot be detected (no fingerprint is kept)."

func proxyAttributes() map[string]schema.Attribute {
	password := schema.StringAttribute{
		MarkdownDescription: "Proxy password." + envRefNote + " Bifrost returns a literal password as `<REDACTED>` (a reference as itself): " +
			"the configured value is kept, and a change made outside Terraform cannot be detected.",
		Optional:   true,
		Sensitive:  true,
		Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	return secret.Merge(secret.WriteOnlyAttributes("password", password, passwordWODetection), map[string]schema.Attribute{
		"type": schema.StringAttribute{
			MarkdownDescription: "`none`, `http`, `socks5`, or `environment` (the proxy of Bifrost's `HTTP_PROXY`/`HTTPS_PROXY` variables).",
			Required:            true,
			Validators:          []validator.String{stringvalidator.OneOf(proxyTypes...)},
		},
		"url": schema.StringAttribute{
			MarkdownDescription: "Proxy URL (required for `http` and `socks5`)." + envRefNote + " Bifrost 1.x returns it in clear, Bifrost 2 masked.",
			Optional:            true,
			Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"username": schema.StringAttribute{
			MarkdownDescription: "Proxy user name." + envRefNote + " Bifrost 1.x returns it in clear, Bifrost 2 masked.",
			Optional:            true,
			Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"ca_cert_pem": schema.StringAttribute{
			MarkdownDescription: "PEM-encoded CA certificate to trust for TLS through the proxy." + envRefNote +
				" Bifrost returns a literal certificate as `<REDACTED>` (a reference as itself): the configured value is kept, " +
				"and a change made outside Terraform cannot be detected.",
			Optional:   true,
			Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
		},
	})
}

func customAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"base_provider_type": schema.StringAttribute{
			MarkdownDescription: "The built-in provider type whose API the custom provider speaks (e.g. `openai`). " +
				"Bifrost does not allow changing it: a change replaces the provider (and deletes its keys).",
			Required: true,
			PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIf(
				func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
					// Adding custom_provider_config to an existing provider is an update.
					resp.RequiresReplace = !req.StateValue.IsNull()
				}, "Bifrost does not allow changing the base provider type.", "Bifrost does not allow changing the base provider type.")},
		},
		"is_key_less": schema.BoolAttribute{
			MarkdownDescription: "Whether the provider calls its upstream without a key. Bifrost refuses keys on a keyless provider. Default `false`.",
			Optional:            true,
			Computed:            true,
			Default:             booldefault.StaticBool(false),
		},
		"allowed_requests": schema.SetAttribute{
			MarkdownDescription: "The request types the provider serves (e.g. `[\"chat_completion\", \"chat_completion_stream\", \"list_models\"]`); " +
				"unset allows all, an empty set none.",
			ElementType: types.StringType,
			Optional:    true,
			Validators:  []validator.Set{setvalidator.ValueStringsAre(stringvalidator.OneOf(requestTypes...))},
		},
		"request_path_overrides": schema.MapAttribute{
			MarkdownDescription: "Upstream path to use per request type, e.g. `{ chat_completion = \"/v2/chat\" }`.",
			ElementType:         types.StringType,
			Optional:            true,
			Validators: []validator.Map{
				mapvalidator.SizeAtLeast(1),
				mapvalidator.KeysAre(stringvalidator.OneOf(requestTypes...)),
				mapvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1)),
			},
		},
	}
}

func openAIAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"disable_store": schema.BoolAttribute{
			MarkdownDescription: "Force `store: false` on every request Bifrost sends to OpenAI. Default `false`.",
			Optional:            true,
			Computed:            true,
			Default:             booldefault.StaticBool(false),
		},
	}
}

// attrTypes are the types of a nested attribute set's attributes.
func attrTypes(attrs map[string]schema.Attribute) map[string]attr.Type {
	out := make(map[string]attr.Type, len(attrs))
	for name, a := range attrs {
		out[name] = a.GetType()
	}
	return out
}

// versionDefaults are the network_config attributes whose default depends
// on the server's version, with their values for v: Bifrost 2 raised both
// timeouts and added the keep-alive timeout (raw-exchanges-v2.jsonl).
func versionDefaults(v bifrost.ServerVersion) map[string]attr.Value {
	if v.AtLeast(2, 0) {
		return map[string]attr.Value{
			"default_request_timeout_in_seconds": types.Int64Value(300),
			"stream_idle_timeout_in_seconds":     types.Int64Value(120),
			"keep_alive_timeout_in_seconds":      types.Int64Value(30),
		}
	}
	return map[string]attr.Value{
		"default_request_timeout_in_seconds": types.Int64Value(30),
		"stream_idle_timeout_in_seconds":     types.Int64Value(60),
		"keep_alive_timeout_in_seconds":      types.Int64Null(),
	}
}

// networkDefault is network_config when the configuration leaves it out,
// on a server of version v.
func networkDefault(v bifrost.ServerVersion) types.Object {
	values := map[string]attr.Value{
		"base_url":              types.StringNull(),
		"extra_headers":         types.MapNull(types.StringType),
		"max_retries":           types.Int64Value(defaultMaxRetries),
		"retry_backoff_initial": types.Int64Value(defaultBackoffInitialMS),
		"retry_backoff_max":     types.Int64Value(defaultBackoffMaxMS),
		"max_conns_per_host":    types.Int64Value(defaultMaxConnsPerHost),
		"insecure_skip_verify":  types.BoolValue(false),
		"ca_cert_pem":           types.StringNull(),
	}
	for name, value := range versionDefaults(v) {
		values[name] = value
	}
	return types.ObjectValueMust(attrTypes(networkAttributes()), values)
}

func concurrencyDefault() types.Object {
	return types.ObjectValueMust(attrTypes(concurrencyAttributes()), map[string]attr.Value{
		"concurrency": types.Int64Value(defaultConcurrency),
		"buffer_size": types.Int64Value(defaultBufferSize),
	})
}

func (r *providerResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Bifrost provider: an upstream LLM API (built-in, such as `openai`, or custom) with its network, " +
			"concurrency and proxy settings. Its keys are `bifrost_provider_key` resources.\n\n" +
			"~> **Destroying a provider deletes all of its keys in Bifrost**, including keys Terraform does not manage. " +
			"Keys managed in the same configuration that reference this resource (`provider_name = bifrost_provider.x.name`) " +
			"are destroyed first.",
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{
				MarkdownDescription: "The provider's name: a built-in type (`openai`, `anthropic`, `azure`, ...) or, with " +
					"`custom_provider_config`, any other name. Changing it replaces the provider. Import with this name.",
				Required:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators: []validator.String{stringvalidator.RegexMatches(bifrost.ProviderNamePattern,
					"must be letters, digits, '_', '.', '-', starting with a letter or digit, at most 64 characters")},
			},
			"network_config": schema.SingleNestedAttribute{
				MarkdownDescription: "How Bifrost reaches the upstream API. Left out, Bifrost's defaults apply (and are shown: " +
					"the timeouts' defaults depend on the server's version, which the provider asks when it plans).",
				Optional:   true,
				Computed:   true,
				Attributes: networkAttributes(),
			},
			"concurrency_and_buffer_size": schema.SingleNestedAttribute{
				MarkdownDescription: "Bifrost's worker pool for this provider. Left out, Bifrost's defaults apply (1000 and 5000).",
				Optional:            true,
				Computed:            true,
				Default:             objectdefault.StaticValue(concurrencyDefault()),
				Attributes:          concurrencyAttributes(),
			},
			"proxy_config": schema.SingleNestedAttribute{
				MarkdownDescription: "Proxy for upstream requests. Left out, no proxy.",
				Optional:            true,
				Attributes:          proxyAttributes(),
			},
			"send_back_raw_request": schema.BoolAttribute{
				MarkdownDescription: "Include the raw upstream request in Bifrost's responses. Default `false`.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
			},
			"send_back_raw_response": schema.BoolAttribute{
				MarkdownDescription: "Include the raw upstream response in Bifrost's responses. Default `false`.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
			},
			"store_raw_request_response": schema.BoolAttribute{
				MarkdownDescription: "Keep raw upstream requests and responses in Bifrost's logs (not in its responses). Default `false`.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
			},
			"custom_provider_config": schema.SingleNestedAttribute{
				MarkdownDescription: "Makes this a custom provider: a name that is not a built-in type, speaking the API of `base_provider_type` " +
					"(usually with `network_config.base_url`). Bifrost does not allow removing it: removing it replaces the provider.",
				Optional:   true,
				Attributes: customAttributes(),
				PlanModifiers: []planmodifier.Object{objectplanmodifier.RequiresReplaceIf(
					func(_ context.Context, req planmodifier.ObjectRequest, resp *objectplanmodifier.RequiresReplaceIfFuncResponse) {
						resp.RequiresReplace = !req.StateValue.IsNull() && req.PlanValue.IsNull()
					}, "Bifrost does not allow removing custom_provider_config.", "Bifrost does not allow removing `custom_provider_config`.")},
			},
			"openai_config": schema.SingleNestedAttribute{
				MarkdownDescription: "OpenAI-specific settings.",
				Optional:            true,
				Attributes:          openAIAttributes(),
			},
			"provider_status": schema.StringAttribute{
				MarkdownDescription: "Whether Bifrost runs the provider: `active`, or `error` when it failed to initialize it.",
				Computed:            true,
			},
			"status": schema.StringAttribute{
				MarkdownDescription: "Result of Bifrost's last model discovery for the provider (e.g. `unknown`, `list_models_failed`), when it reports one.",
				Computed:            true,
			},
			"description": schema.StringAttribute{
				MarkdownDescription: "Bifrost's explanation of `status` (e.g. the discovery error), when it gives one.",
				Computed:            true,
			},
			"config_hash": schema.StringAttribute{
				MarkdownDescription: "Hash Bifrost keeps of the config.json version of the provider (empty for providers created through the API).",
				Computed:            true,
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
		},
	}
}
