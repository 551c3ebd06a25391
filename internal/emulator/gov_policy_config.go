package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// clientConfig is client_config in Bifrost's struct order and tags, so that
// encoding/json writes it as the server does. The pointer members with
// omitempty exist only on v2 (nil on v1.5.1).
type clientConfig struct {
	DropExcessRequests                    bool          `json:"drop_excess_requests"`
	InitialPoolSize                       int           `json:"initial_pool_size"`
	PrometheusLabels                      []string      `json:"prometheus_labels"`
	EnableLogging                         *bool         `json:"enable_logging"`
	DisableContentLogging                 bool          `json:"disable_content_logging"`
	RetainContentInObjectStorage          *bool         `json:"retain_content_in_object_storage,omitempty"`
	AllowPerRequestContentStorageOverride bool          `json:"allow_per_request_content_storage_override"`
	AllowPerRequestRawOverride            bool          `json:"allow_per_request_raw_override"`
	AllowDirectKeys                       *bool         `json:"allow_direct_keys,omitempty"`
	DisableDBPingsInHealth                bool          `json:"disable_db_pings_in_health"`
	LogRetentionDays                      int           `json:"log_retention_days"`
	EnforceAuthOnInference                bool          `json:"enforce_auth_on_inference"`
	AllowedOrigins                        []string      `json:"allowed_origins,omitempty"`
	AllowedHeaders                        []string      `json:"allowed_headers,omitempty"`
	MaxRequestBodySizeMB                  int           `json:"max_request_body_size_mb"`
	Compat                                compatConfig  `json:"compat"`
	MCPAgentDepth                         int           `json:"mcp_agent_depth"`
	MCPToolExecutionTimeout               int           `json:"mcp_tool_execution_timeout"`
	MCPCodeModeBindingLevel               string        `json:"mcp_code_mode_binding_level"`
	MCPToolSyncInterval                   int           `json:"mcp_tool_sync_interval"`
	MCPDisableAutoToolInject              bool          `json:"mcp_disable_auto_tool_inject"`
	MCPEnableTempTokenAuth                *bool         `json:"mcp_enable_temp_token_auth,omitempty"`
	HeaderFilterConfig                    *headerFilter `json:"header_filter_config,omitempty"`
	AsyncJobResultTTL                     int           `json:"async_job_result_ttl"`
	RequiredHeaders                       []string      `json:"required_headers,omitempty"`
	LoggingHeaders                        []string      `json:"logging_headers,omitempty"`
	WhitelistedRoutes                     []string      `json:"whitelisted_routes,omitempty"`
	HideDeletedVirtualKeysInFilters       bool          `json:"hide_deleted_virtual_keys_in_filters"`
	RoutingChainMaxDepth                  int           `json:"routing_chain_max_depth"`
	MCPExternalClientURL                  string        `json:"mcp_external_client_url,omitempty"`
	DumpErrorsInConsoleLogs               *bool         `json:"dump_errors_in_console_logs,omitempty"`
}

type compatConfig struct {
	ConvertTextToChat      bool `json:"convert_text_to_chat"`
	ConvertChatToResponses bool `json:"convert_chat_to_responses"`
	ShouldDropParams       bool `json:"should_drop_params"`
	ShouldConvertParams    bool `json:"should_convert_params"`
}

// headerFilter is header_filter_config (guessed: both lists always written).
type headerFilter struct {
	Allowlist []string `json:"allowlist"`
	Denylist  []string `json:"denylist"`
}

// frameworkConfig is framework_config; the omitempty pointers are v2's.
type frameworkConfig struct {
	ID                     int     `json:"id"`
	PricingURL             *string `json:"pricing_url"`
	PricingSyncInterval    *int64  `json:"pricing_sync_interval"`
	ModelParametersURL     *string `json:"model_parameters_url,omitempty"`
	MCPLibraryURL          *string `json:"mcp_library_url,omitempty"`
	MCPLibrarySyncInterval *int64  `json:"mcp_library_sync_interval,omitempty"`
	LiveModelsSyncInterval *int64  `json:"live_models_sync_interval,omitempty"`
	ConfigHash             string  `json:"config_hash,omitempty"`
}

// proxyConfig is GlobalProxyConfig, the body of /api/proxy-config.
type proxyConfig struct {
	Enabled            bool   `json:"enabled"`
	Type               string `json:"type"`
	URL                string `json:"url"`
	Username           string `json:"username,omitempty"`
	Password           string `json:"password,omitempty"`
	NoProxy            string `json:"no_proxy,omitempty"`
	Timeout            int    `json:"timeout"`
	SkipTLSVerify      bool   `json:"skip_tls_verify,omitempty"`
	EnableForSCIM      bool   `json:"enable_for_scim"`
	EnableForInference bool   `json:"enable_for_inference"`
	EnableForAPI       bool   `json:"enable_for_api"`
}

// defaultPricingURL is modelcatalog.DefaultPricingURL, which PUT does not fetch.
const defaultPricingURL = "https://getbifrost.ai/datasheet"

// freshConfigs are the client and framework configuration a fresh server
// reports. The framework URLs are those the recorded servers were started
// with (offline datasheets), as are v2's config_hash.
func freshConfigs(v2 bool) (*clientConfig, *frameworkConfig) {
	t, f := true, false
	day := int64(86400)
	cc := &clientConfig{
		InitialPoolSize: 5000, PrometheusLabels: []string{}, EnableLogging: &t, AllowedOrigins: []string{"*"},
		MaxRequestBodySizeMB: 100, MCPAgentDepth: 10, MCPToolExecutionTimeout: 30, MCPCodeModeBindingLevel: "server",
		RoutingChainMaxDepth: 10,
	}
	url := "http://127.0.0.1:18962/datasheet.json"
	fc := &frameworkConfig{PricingURL: &url, PricingSyncInterval: &day}
	if v2 {
		cc.RetainContentInObjectStorage, cc.AllowDirectKeys, cc.MCPEnableTempTokenAuth, cc.DumpErrorsInConsoleLogs = &f, &f, &f, &f
		dir := "file:///tmp/ceo/appv2b/offline/"
		url, params, library := dir+"datasheet.json", dir+"model-parameters.json", dir+"mcp-library.json"
		zero := int64(0)
		fc = &frameworkConfig{PricingURL: &url, PricingSyncInterval: &day, ModelParametersURL: &params,
			MCPLibraryURL: &library, MCPLibrarySyncInterval: &day, LiveModelsSyncInterval: &zero,
			ConfigHash: "9ac969d584f04d072c7e92f115e4a734d47a045279c28e14cda272da04358377"}
	}
	return cc, fc
}

// configs returns the stored configuration, created on first use; s.mu is held.
func (s *Server) configs() (*clientConfig, *frameworkConfig) {
	if s.policy.client == nil {
		s.policy.client, s.policy.framework = freshConfigs(s.v2)
	}
	return s.policy.client, s.policy.framework
}

// getClientConfig answers GET /api/config: a Go map, so its keys are sorted.
// v1.5.1 always reports auth_config, v2 (recorded without auth) only when
// auth is enabled (guess).
func (s *Server) getClientConfig(*call) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	cc, fc := s.configs()
	out := []kv{{"client_config", cc}, {"framework_config", fc}, {"is_cache_connected", false},
		{"is_db_connected", true}, {"is_logs_connected", true}, {"restart_required", s.restartRequired()}}
	if s.v2 {
		out = append(out, kv{"is_object_storage_connected", false})
	}
	if !s.v2 || s.authEnabled() {
		out = append(out, kv{"auth_config", s.authConfig()})
	}
	if p := s.policy.proxy; p != nil {
		out = append(out, kv{"proxy_config", p.redacted()})
	}
	return policyJSON(http.StatusOK, goMap(out...))
}

// authConfig shows the dashboard credentials: the password redacted. A
// fresh server without auth reports disable_auth_on_inference true; with
// auth enabled false is a guess.
func (s *Server) authConfig() object {
	user, password := secret{}, secret{}
	if s.authEnabled() {
		user, password = secret{val: s.opts.Username}, secret{val: "<redacted>"}
	}
	return goMap(kv{"admin_username", user.wire(false)}, kv{"admin_password", password.wire(false)},
		kv{"is_enabled", s.authEnabled()}, kv{"disable_auth_on_inference", !s.authEnabled()})
}

// restartRequired is RestartRequiredConfig; s.mu is held.
func (s *Server) restartRequired() object {
	if s.policy.restart == "" {
		return object{{"required", false}}
	}
	return object{{"required", true}, {"reason", s.policy.restart}}
}

// configPayload is the PUT /api/config body. auth_config is not emulated:
// dashboard auth comes from Options, so it is ignored.
type configPayload struct {
	ClientConfig    clientConfig    `json:"client_config"`
	FrameworkConfig frameworkConfig `json:"framework_config"`
}

// securityHeaders may not appear in header_filter_config.
var securityHeaders = []string{"authorization", "proxy-authorization", "cookie", "host", "content-length",
	"connection", "transfer-encoding", "x-api-key", "x-goog-api-key", "x-bf-api-key", "x-bf-vk"}

// headerFilterErr normalises the lists (trimmed, lowercased, empties
// dropped) and refuses inner wildcards and exact security headers.
func headerFilterErr(hf *headerFilter) string {
	if hf == nil {
		return ""
	}
	var found []string
	for _, list := range []*[]string{&hf.Allowlist, &hf.Denylist} {
		var kept []string
		for _, h := range *list {
			h = strings.ToLower(strings.TrimSpace(h))
			if h == "" {
				continue
			}
			if i := strings.Index(h, "*"); i != -1 && i != len(h)-1 {
				return fmt.Sprintf("invalid pattern %q: wildcard (*) is only supported at the end of a pattern", h)
			}
			kept = append(kept, h)
			if slices.Contains(securityHeaders, h) && !slices.Contains(found, h) {
				found = append(found, h)
			}
		}
		*list = kept
	}
	if len(found) > 0 {
		return "the following headers are not allowed to be configured: " + strings.Join(found, ", ") +
			". These headers are security headers and are always blocked"
	}
	return ""
}

// restartReasons name, in the handler's order, the members whose change
// needs a restart.
var restartReasons = []struct {
	reason  string
	changed func(old, upd *clientConfig) bool
}{
	{"Prometheus labels", func(o, u *clientConfig) bool { return !slices.Equal(o.PrometheusLabels, u.PrometheusLabels) }},
	{"Allowed origins", func(o, u *clientConfig) bool { return !slices.Equal(o.AllowedOrigins, u.AllowedOrigins) }},
	{"Allowed headers", func(o, u *clientConfig) bool { return !slices.Equal(o.AllowedHeaders, u.AllowedHeaders) }},
	{"Initial pool size", func(o, u *clientConfig) bool { return o.InitialPoolSize != u.InitialPoolSize }},
	{"Logging changed", func(o, u *clientConfig) bool {
		return (o.EnableLogging == nil || *o.EnableLogging) != (u.EnableLogging == nil || *u.EnableLogging)
	}},
	{"Content logging", func(o, u *clientConfig) bool { return o.DisableContentLogging != u.DisableContentLogging }},
	{"Max request body size", func(o, u *clientConfig) bool { return o.MaxRequestBodySizeMB != u.MaxRequestBodySizeMB }},
}

// updateClientConfig is PUT /api/config with the handler's mixed semantics:
// most members are replaced (absent = zero), the counts change only when
// > 0, enable_logging only when sent, the binding level only when non-empty;
// log_retention_days must be at least 1 (so an empty body is a 400). A new
// pricing_url is fetched, as the server does.
func (s *Server) updateClientConfig(c *call) reply {
	var p configPayload
	if err := json.Unmarshal(c.body, &p); err != nil {
		return s.policyErr(http.StatusBadRequest, "Invalid request format: "+err.Error())
	}
	pc, pf := &p.ClientConfig, &p.FrameworkConfig
	if pf.PricingURL != nil && *pf.PricingURL != defaultPricingURL {
		if msg := pricingURLErr(*pf.PricingURL); msg != "" {
			return s.policyErr(http.StatusInternalServerError, msg)
		}
	}
	switch {
	case pf.PricingSyncInterval != nil && *pf.PricingSyncInterval <= 0:
		return s.policyErr(http.StatusBadRequest, "pricing sync interval must be greater than 0")
	case pc.MCPCodeModeBindingLevel != "" && pc.MCPCodeModeBindingLevel != "server" && pc.MCPCodeModeBindingLevel != "tool":
		return s.policyErr(http.StatusBadRequest, "mcp_code_mode_binding_level must be 'server' or 'tool'")
	}
	s.mu.Lock()
	cur, fc := s.configs()
	old := *cur
	upd := old
	if hf := pc.HeaderFilterConfig; !headerFiltersEqual(hf, old.HeaderFilterConfig) {
		if msg := headerFilterErr(hf); msg != "" {
			s.mu.Unlock()
			return s.policyErr(http.StatusBadRequest, msg)
		}
		upd.HeaderFilterConfig = hf
	}
	if pc.LogRetentionDays < 1 {
		s.mu.Unlock()
		return s.policyErr(http.StatusBadRequest, "log_retention_days must be at least 1")
	}
	upd.LogRetentionDays = pc.LogRetentionDays
	// Counts change only when > 0 (guessed for mcp_tool_sync_interval).
	for _, m := range []struct{ dst, src *int }{{&upd.InitialPoolSize, &pc.InitialPoolSize},
		{&upd.MaxRequestBodySizeMB, &pc.MaxRequestBodySizeMB}, {&upd.MCPAgentDepth, &pc.MCPAgentDepth},
		{&upd.MCPToolExecutionTimeout, &pc.MCPToolExecutionTimeout}, {&upd.AsyncJobResultTTL, &pc.AsyncJobResultTTL},
		{&upd.RoutingChainMaxDepth, &pc.RoutingChainMaxDepth}, {&upd.MCPToolSyncInterval, &pc.MCPToolSyncInterval}} {
		if *m.src > 0 {
			*m.dst = *m.src
		}
	}
	if pc.EnableLogging != nil {
		upd.EnableLogging = pc.EnableLogging
	}
	if pc.MCPCodeModeBindingLevel != "" {
		upd.MCPCodeModeBindingLevel = pc.MCPCodeModeBindingLevel
	}
	// The lists needing a restart are replaced only when they differ, so an
	// empty list does not replace an empty one.
	for _, m := range []struct{ dst, src *[]string }{{&upd.PrometheusLabels, &pc.PrometheusLabels},
		{&upd.AllowedOrigins, &pc.AllowedOrigins}, {&upd.AllowedHeaders, &pc.AllowedHeaders}} {
		if !slices.Equal(*m.dst, *m.src) {
			*m.dst = *m.src
		}
	}
	upd.DropExcessRequests = pc.DropExcessRequests
	upd.DisableContentLogging, upd.DisableDBPingsInHealth = pc.DisableContentLogging, pc.DisableDBPingsInHealth
	upd.AllowPerRequestContentStorageOverride = pc.AllowPerRequestContentStorageOverride // guessed: replaced
	upd.AllowPerRequestRawOverride = pc.AllowPerRequestRawOverride                       // guessed: replaced
	upd.EnforceAuthOnInference, upd.Compat = pc.EnforceAuthOnInference, pc.Compat
	upd.MCPDisableAutoToolInject, upd.HideDeletedVirtualKeysInFilters = pc.MCPDisableAutoToolInject, pc.HideDeletedVirtualKeysInFilters
	upd.RequiredHeaders, upd.LoggingHeaders, upd.WhitelistedRoutes = pc.RequiredHeaders, pc.LoggingHeaders, pc.WhitelistedRoutes
	upd.MCPExternalClientURL = pc.MCPExternalClientURL
	if s.v2 { // guessed: v2's new flags are replaced like their neighbours
		for _, m := range []struct{ dst, src **bool }{{&upd.RetainContentInObjectStorage, &pc.RetainContentInObjectStorage},
			{&upd.AllowDirectKeys, &pc.AllowDirectKeys}, {&upd.MCPEnableTempTokenAuth, &pc.MCPEnableTempTokenAuth},
			{&upd.DumpErrorsInConsoleLogs, &pc.DumpErrorsInConsoleLogs}} {
			v := *m.src != nil && **m.src
			*m.dst = &v
		}
	}
	if s.lockedWrite() {
		s.mu.Unlock()
		return s.policyErr(http.StatusInternalServerError, "failed to save configuration: "+dbLocked)
	}
	*cur = upd
	pricingURL := *fc.PricingURL
	s.mu.Unlock()
	if pf.PricingURL != nil && *pf.PricingURL != pricingURL {
		if msg := pricingURLErr(*pf.PricingURL); msg != "" {
			return stored(s.policyErr(http.StatusInternalServerError, msg))
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if pf.PricingURL != nil {
		fc.PricingURL = pf.PricingURL
	}
	if pf.PricingSyncInterval != nil {
		fc.PricingSyncInterval = pf.PricingSyncInterval
	}
	var reasons []string
	for _, r := range restartReasons {
		if r.changed(&old, &upd) {
			reasons = append(reasons, r.reason)
		}
	}
	if len(reasons) > 0 {
		s.policy.restart = strings.Join(reasons, ", ") + " settings have been updated. A restart is required for changes to take full effect."
	}
	return stored(policyJSON(http.StatusOK, goMap(kv{"status", "success"}, kv{"message", "configuration updated successfully"})))
}

func headerFiltersEqual(a, b *headerFilter) bool {
	if a == nil || b == nil {
		return a == b
	}
	return slices.Equal(a.Allowlist, b.Allowlist) && slices.Equal(a.Denylist, b.Denylist)
}

// pricingURLErr is the server's accessibility check of a new pricing URL.
func pricingURLErr(url string) string {
	client := http.Client{Timeout: 30 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		return "failed to check the accessibility of the pricing URL: " + err.Error()
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Sprintf("failed to check the accessibility of the pricing URL: %d", resp.StatusCode)
	}
	return ""
}

// redacted is the proxy configuration as the GETs show it.
func (p proxyConfig) redacted() proxyConfig {
	if p.Password != "" {
		p.Password = "<redacted>"
	}
	return p
}

func (s *Server) getProxyConfig(*call) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := proxyConfig{Type: "http"}
	if s.policy.proxy != nil {
		p = s.policy.proxy.redacted()
	}
	return policyJSON(http.StatusOK, p)
}

// updateProxyConfig stores the whole body: "<redacted>" keeps the stored
// password, socks5 and tcp are refused, and every PUT asks for a restart.
func (s *Server) updateProxyConfig(c *call) reply {
	var p proxyConfig
	if err := json.Unmarshal(c.body, &p); err != nil {
		return s.policyErr(http.StatusBadRequest, "invalid request format: "+err.Error())
	}
	if p.Enabled {
		var msg string
		switch {
		case p.Type == "socks5" || p.Type == "tcp":
			msg = "proxy type " + p.Type + " is not yet supported"
		case p.Type != "http":
			msg = "invalid proxy type: " + p.Type
		case p.URL == "":
			msg = "proxy URL is required when proxy is enabled"
		case p.Timeout < 0:
			msg = "proxy timeout must be non-negative"
		}
		if msg != "" {
			return s.policyErr(http.StatusBadRequest, msg)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.Password == "<redacted>" {
		p.Password = ""
		if s.policy.proxy != nil {
			p.Password = s.policy.proxy.Password
		}
	}
	if s.lockedWrite() {
		return s.policyErr(http.StatusInternalServerError, "failed to save proxy configuration: "+dbLocked)
	}
	s.policy.proxy = &p
	s.policy.restart = "Proxy configuration has been updated. A restart is required for all changes to take full effect."
	return stored(policyJSON(http.StatusOK, goMap(kv{"status", "success"}, kv{"message", "proxy configuration updated successfully"})))
}
