package bifrost

import (
	"context"
	"encoding/json"
	"net/http"
)

// configPath is Bifrost's core configuration: GET reads it, PUT replaces
// the client settings whole.
const configPath = "/api/config"

// ClientConfig is client_config, Bifrost's core settings, in the layout of
// both GET and PUT /api/config: each member is written down once, here.
//
// PUT replaces the object with mixed semantics (governance.md §2.10):
//   - most booleans and lists are replaced: an omitted one becomes
//     false/empty. So a write must carry every member as read
//     (read-modify-write), which this type makes possible: the members it
//     does not model (those of a newer server) are kept in Extra and sent
//     back unchanged.
//   - InitialPoolSize, MaxRequestBodySizeMB, MCPAgentDepth,
//     MCPToolExecutionTimeout, AsyncJobResultTTL, RoutingChainMaxDepth (and,
//     by the emulator's guess, MCPToolSyncInterval) change only when > 0: 0
//     keeps the stored value.
//   - EnableLogging changes only when sent (non-nil), MCPCodeModeBindingLevel
//     only when non-empty ("server" or "tool", else 400).
//   - LogRetentionDays < 1 is a 400 "log_retention_days must be at least 1",
//     although a fresh server reports 0: echoing a fresh server's GET back
//     fails (measured); the caller must choose a value.
//   - Changing PrometheusLabels, AllowedOrigins, AllowedHeaders,
//     InitialPoolSize, EnableLogging, DisableContentLogging or
//     MaxRequestBodySizeMB sets restart_required.
//   - HeaderFilterConfig names are lowercased and trimmed by the server; a
//     wildcard is allowed only at the end, and security headers
//     (authorization, cookie, x-api-key, …) are refused with a 400.
//
// The pointer booleans with omitempty are Bifrost v2's (nil, and not sent,
// against v1.5.1).
type ClientConfig struct {
	DropExcessRequests                    bool                `json:"drop_excess_requests"`
	InitialPoolSize                       int64               `json:"initial_pool_size"`
	PrometheusLabels                      []string            `json:"prometheus_labels"`
	EnableLogging                         *bool               `json:"enable_logging,omitempty"`
	DisableContentLogging                 bool                `json:"disable_content_logging"`
	RetainContentInObjectStorage          *bool               `json:"retain_content_in_object_storage,omitempty"`
	AllowPerRequestContentStorageOverride bool                `json:"allow_per_request_content_storage_override"`
	AllowPerRequestRawOverride            bool                `json:"allow_per_request_raw_override"`
	AllowDirectKeys                       *bool               `json:"allow_direct_keys,omitempty"`
	DisableDBPingsInHealth                bool                `json:"disable_db_pings_in_health"`
	LogRetentionDays                      int64               `json:"log_retention_days"`
	EnforceAuthOnInference                bool                `json:"enforce_auth_on_inference"`
	AllowedOrigins                        []string            `json:"allowed_origins,omitempty"`
	AllowedHeaders                        []string            `json:"allowed_headers,omitempty"`
	MaxRequestBodySizeMB                  int64               `json:"max_request_body_size_mb"`
	Compat                                *CompatConfig       `json:"compat,omitempty"`
	MCPAgentDepth                         int64               `json:"mcp_agent_depth"`
	MCPToolExecutionTimeout               int64               `json:"mcp_tool_execution_timeout"`
	MCPCodeModeBindingLevel               string              `json:"mcp_code_mode_binding_level,omitempty"`
	MCPToolSyncInterval                   int64               `json:"mcp_tool_sync_interval"`
	MCPDisableAutoToolInject              bool                `json:"mcp_disable_auto_tool_inject"`
	MCPEnableTempTokenAuth                *bool               `json:"mcp_enable_temp_token_auth,omitempty"`
	HeaderFilterConfig                    *HeaderFilterConfig `json:"header_filter_config,omitempty"`
	AsyncJobResultTTL                     int64               `json:"async_job_result_ttl"`
	RequiredHeaders                       []string            `json:"required_headers,omitempty"`
	LoggingHeaders                        []string            `json:"logging_headers,omitempty"`
	WhitelistedRoutes                     []string            `json:"whitelisted_routes,omitempty"`
	HideDeletedVirtualKeysInFilters       bool                `json:"hide_deleted_virtual_keys_in_filters"`
	RoutingChainMaxDepth                  int64               `json:"routing_chain_max_depth"`
	MCPExternalServerURL                  string              `json:"mcp_external_server_url,omitempty"`
	MCPExternalClientURL                  string              `json:"mcp_external_client_url,omitempty"`
	DumpErrorsInConsoleLogs               *bool               `json:"dump_errors_in_console_logs,omitempty"`

	// Extra holds the members this type does not model, sent back as read.
	Extra map[string]json.RawMessage `json:"-"`
}

// CompatConfig is client_config.compat, replaced whole by a PUT.
type CompatConfig struct {
	ConvertTextToChat      bool `json:"convert_text_to_chat"`
	ConvertChatToResponses bool `json:"convert_chat_to_responses"`
	ShouldDropParams       bool `json:"should_drop_params"`
	ShouldConvertParams    bool `json:"should_convert_params"`
}

// HeaderFilterConfig is client_config.header_filter_config: the headers
// forwarded to providers (allowlist) or kept from them (denylist).
type HeaderFilterConfig struct {
	Allowlist []string `json:"allowlist"`
	Denylist  []string `json:"denylist"`
}

// clientConfigJSON is ClientConfig without its methods.
type clientConfigJSON ClientConfig

var knownClientConfigFields = jsonNames[clientConfigJSON]()

// MarshalJSON writes the modelled members and those of Extra.
func (c ClientConfig) MarshalJSON() ([]byte, error) {
	return marshalWithExtra(clientConfigJSON(c), c.Extra, knownClientConfigFields)
}

// UnmarshalJSON reads client_config of any server version, keeping the
// members this type does not model in Extra.
func (c *ClientConfig) UnmarshalJSON(b []byte) error {
	var w clientConfigJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*c = ClientConfig(w)
	var err error
	c.Extra, err = unknownMembers(b, knownClientConfigFields)
	return err
}

// RestartRequired says whether settings changed since the server started
// need a restart to take effect. It stays set until the restart.
type RestartRequired struct {
	Required bool   `json:"required"`
	Reason   string `json:"reason,omitempty"`
}

// ServerConfig is the answer of GET /api/config. framework_config, auth_config
// and proxy_config are not decoded: this client never writes them (see
// UpdateClientConfig).
type ServerConfig struct {
	ClientConfig    ClientConfig     `json:"client_config"`
	IsDBConnected   bool             `json:"is_db_connected"`
	RestartRequired *RestartRequired `json:"restart_required,omitempty"`
}

// configUpdate is the body of PUT /api/config as this client writes it:
// client_config only.
//
//   - auth_config is never sent. It holds the dashboard credentials, which
//     GET returns redacted ("<redacted>"), so echoing it back would have to
//     invent them; any change of it flushes every session; and enabling auth
//     locks out a provider not configured with those credentials. The
//     server leaves the credentials as they are when it is absent.
//   - framework_config is not sent either: the server keeps it when absent,
//     while a pricing_url sent (even unchanged) is fetched by the server,
//     which answers 500 when it cannot reach it.
type configUpdate struct {
	ClientConfig ClientConfig `json:"client_config"`
}

// GetConfig reads the core configuration.
func (c *Client) GetConfig(ctx context.Context) (*ServerConfig, error) {
	var out ServerConfig
	if err := c.do(ctx, http.MethodGet, configPath, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateClientConfig replaces client_config with cc, which must be the
// whole object as read (GetConfig) with the caller's changes: members left
// out are reset (see ClientConfig). The answer carries no configuration:
// read it again to see the result and restart_required.
func (c *Client) UpdateClientConfig(ctx context.Context, cc ClientConfig) error {
	return c.do(ctx, http.MethodPut, configPath, configUpdate{ClientConfig: cc}, nil)
}
