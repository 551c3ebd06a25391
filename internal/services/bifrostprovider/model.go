package bifrostprovider

import (
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// providerFields are the attributes of a Bifrost provider, shared by the
// resource and the data source.
type providerFields struct {
	Name                     types.String      `tfsdk:"name"`
	NetworkConfig            *networkModel     `tfsdk:"network_config"`
	ConcurrencyAndBufferSize *concurrencyModel `tfsdk:"concurrency_and_buffer_size"`
	ProxyConfig              *proxyModel       `tfsdk:"proxy_config"`
	SendBackRawRequest       types.Bool        `tfsdk:"send_back_raw_request"`
	SendBackRawResponse      types.Bool        `tfsdk:"send_back_raw_response"`
	StoreRawRequestResponse  types.Bool        `tfsdk:"store_raw_request_response"`
	CustomProviderConfig     *customModel      `tfsdk:"custom_provider_config"`
	OpenAIConfig             *openAIModel      `tfsdk:"openai_config"`

	ProviderStatus types.String `tfsdk:"provider_status"`
	Status         types.String `tfsdk:"status"`
	Description    types.String `tfsdk:"description"`
	ConfigHash     types.String `tfsdk:"config_hash"`
}

// providerModel is the Terraform state of a bifrost_provider resource.
type providerModel struct {
	providerFields
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

type networkModel struct {
	BaseURL                        types.String `tfsdk:"base_url"`
	ExtraHeaders                   types.Map    `tfsdk:"extra_headers"`
	DefaultRequestTimeoutInSeconds types.Int64  `tfsdk:"default_request_timeout_in_seconds"`
	MaxRetries                     types.Int64  `tfsdk:"max_retries"`
	RetryBackoffInitial            types.Int64  `tfsdk:"retry_backoff_initial"`
	RetryBackoffMax                types.Int64  `tfsdk:"retry_backoff_max"`
	StreamIdleTimeoutInSeconds     types.Int64  `tfsdk:"stream_idle_timeout_in_seconds"`
	KeepAliveTimeoutInSeconds      types.Int64  `tfsdk:"keep_alive_timeout_in_seconds"`
	MaxConnsPerHost                types.Int64  `tfsdk:"max_conns_per_host"`
	InsecureSkipVerify             types.Bool   `tfsdk:"insecure_skip_verify"`
	CACertPEM                      types.String `tfsdk:"ca_cert_pem"`
}

type concurrencyModel struct {
	Concurrency types.Int64 `tfsdk:"concurrency"`
	BufferSize  types.Int64 `tfsdk:"buffer_size"`
}

type proxyModel struct {
	Type     types.String `tfsdk:"type"`
	URL      types.String `tfsdk:"url"`
	Username types.String `tfsdk:"username"`
	Password types.String `tfsdk:"password"`
	// Write-only form of password (see secret.WriteOnlyAttributes); the
	// data source does not show them.
	PasswordWO        types.String `tfsdk:"password_wo"`
	PasswordWOVersion types.Int64  `tfsdk:"password_wo_version"`
	CACertPEM         types.String `tfsdk:"ca_cert_pem"`
}

type customModel struct {
	BaseProviderType     types.String `tfsdk:"base_provider_type"`
	IsKeyLess            types.Bool   `tfsdk:"is_key_less"`
	AllowedRequests      types.Set    `tfsdk:"allowed_requests"`
	RequestPathOverrides types.Map    `tfsdk:"request_path_overrides"`
}

type openAIModel struct {
	DisableStore types.Bool `tfsdk:"disable_store"`
}
