package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Creating an MCP client connects to the MCP server synchronously, as
// Bifrost does: an http (Streamable HTTP) client is connected with the MCP
// SDK (initialize, then tools/list) and stored with the tools it found; one
// that cannot connect fails after Options.MCPConnectDelay (Bifrost spends
// about 31 s on its 5 attempts) with the recorded 500. A stdio client's
// command is started (with its args) and spoken to over stdin/stdout the
// same way; its process lives as long as the client (ended by the delete
// and by Server.Close). guess (not recorded): the command is looked up in
// the PATH of Options.Env (the emulated Bifrost's environment, not the
// test process's), runs with that environment plus stdio_config.envs as
// given (Bifrost's MCP library appends them to its own environment), and a
// command that cannot start or speak MCP fails as an unreachable server.
// guess: sse connections are not made (they always fail, as an
// unreachable server).
// AddMCPClient puts a connected client in directly, for tests that do not
// run an MCP server.

// mcpClient is an MCP client Bifrost holds (connected).
type mcpClient struct {
	rowID    uint   // the table row's autoincrement id (a VK mcp config's mcp_client_id)
	clientID string // the id of the /api/mcp/client/{id} routes
	name     string
	tools    []string // tools_to_execute
	created  time.Time

	connType     string            // "http" for AddMCPClient
	connString   *secret           // nil for AddMCPClient
	authType     string            // "none" for AddMCPClient
	headers      map[string]secret // auth_type headers
	autoExecute  []string
	extraHeaders []string
	ping         bool
	syncInterval time.Duration
	toolPricing  map[string]float64
	codeMode     bool
	allVKs       bool
	disabled     bool
	discovered   []*mcp.Tool // what tools/list answered
	stdio        *stdioConfig
	stop         func() // ends a stdio client's process (nil otherwise); idempotent
}

// stdioConfig is a stdio client's stdio_config.
type stdioConfig struct {
	Command string   `json:"command"`
	Args    []string `json:"args"`
	Envs    []string `json:"envs"`
}

// mcpStore holds a server's MCP clients, in creation order. Callers hold
// the server's mu.
type mcpStore struct {
	clients []*mcpClient
	seq     uint
}

func (s *Server) mcps() *mcpStore { return &s.policy.mcp }

// mcpClientByName is the stored client of that name (exact match, as the
// store's WHERE name = ?), or nil. Callers hold s.mu.
func (s *Server) mcpClientByName(name string) *mcpClient {
	i := slices.IndexFunc(s.mcps().clients, func(c *mcpClient) bool { return c.name == name })
	if i < 0 {
		return nil
	}
	return s.mcps().clients[i]
}

// AddMCPClient stores a connected MCP client named name, with
// tools_to_execute ["*"], as a create against a reachable MCP server would
// (without connecting to anything), and returns its client_id (a
// UUID, as Bifrost chooses when the create sends none). A name already held
// is kept and its id returned. It is a test hook: no request is recorded.
func (s *Server) AddMCPClient(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.mcpClientByName(name); c != nil {
		return c.clientID
	}
	st := s.mcps()
	st.seq++
	c := &mcpClient{rowID: st.seq, clientID: uuid.NewString(), name: name, tools: []string{"*"}, created: time.Now().UTC(),
		connType: "http", authType: "none", ping: true, syncInterval: defaultMCPSyncInterval}
	st.clients = append(st.clients, c)
	return c.clientID
}

// RemoveMCPClient deletes the MCP client named name as DELETE
// /api/mcp/client/{id} does (it leaves every virtual key's mcp_configs),
// and reports whether there was one. A test hook, for the "lite" builds
// that do not route the MCP API.
func (s *Server) RemoveMCPClient(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.mcpClientByName(name)
	if c != nil {
		s.dropMCPClient(c)
	}
	return c != nil
}

// dropMCPClient removes c and every virtual key's config of it. Callers
// hold s.mu.
func (s *Server) dropMCPClient(c *mcpClient) {
	st := s.mcps()
	st.clients = slices.DeleteFunc(st.clients, func(x *mcpClient) bool { return x == c })
	if c.stop != nil {
		c.stop()
	}
	for _, vk := range s.ownership.vks {
		vk.mcps = slices.DeleteFunc(vk.mcps, func(m *mcpConfig) bool { return m.client == c.name })
	}
}

// defaultMCPConnectDelay stands in for the ~31 s a real server spends on
// its 5 connection attempts.
const defaultMCPConnectDelay = 50 * time.Millisecond

// MCPClientRequest is the create body, TableMCPClient plus oauth_config.
// These types carry Bifrost's names so that decoding errors read the same
// ("Go struct field MCPClientRequest.TableMCPClient.name").
type MCPClientRequest struct {
	TableMCPClient
	OauthConfig json.RawMessage `json:"oauth_config"`
}

// MCPClientUpdateRequest is the update body, named like Bifrost's for the
// same reason.
type MCPClientUpdateRequest struct {
	TableMCPClient
	VKConfigs *[]struct {
		VirtualKeyID   string   `json:"virtual_key_id"`
		ToolsToExecute []string `json:"tools_to_execute"`
	} `json:"vk_configs"`
	OauthConfig json.RawMessage `json:"oauth_config"`
}

// TableMCPClient holds the request members of Bifrost's table row of that
// name (embedded under that name, as decoding errors show); EnvVar members
// are taken raw.
type TableMCPClient struct {
	ClientID              string                     `json:"client_id"`
	Name                  string                     `json:"name"`
	IsCodeModeClient      bool                       `json:"is_code_mode_client"`
	ConnectionType        string                     `json:"connection_type"`
	ConnectionString      json.RawMessage            `json:"connection_string"`
	StdioConfig           *stdioConfig               `json:"stdio_config"`
	AuthType              string                     `json:"auth_type"`
	Headers               map[string]json.RawMessage `json:"headers"`
	ToolsToExecute        []string                   `json:"tools_to_execute"`
	ToolsToAutoExecute    []string                   `json:"tools_to_auto_execute"`
	AllowedExtraHeaders   []string                   `json:"allowed_extra_headers"`
	IsPingAvailable       *bool                      `json:"is_ping_available"`
	ToolSyncInterval      int                        `json:"tool_sync_interval"`
	ToolPricing           map[string]float64         `json:"tool_pricing"`
	AllowOnAllVirtualKeys bool                       `json:"allow_on_all_virtual_keys"`
	Disabled              bool                       `json:"disabled"`
}

// mcpClientExists reports whether an MCP client with that name exists.
// Callers hold s.mu.
func (s *Server) mcpClientExists(name string) bool { return s.mcpClientByName(name) != nil }

// listMCPClients answers the clients in creation order (the empty list is
// recorded); the paginated form echoes the clamped page (guess).
func (s *Server) listMCPClients(c *call) reply {
	page, rp, ok := s.policyPage(c)
	if !ok {
		return rp
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	items := []any{}
	for _, mc := range s.mcps().clients {
		items = append(items, s.renderMCPListEntry(mc))
	}
	return policyJSON(http.StatusOK, page.envelope("clients", items))
}

// renderMCPListEntry is a client as the list shows it. guess: the shape is
// governance.md §2.8's (config, tools, state, vk_configs), never recorded
// with a client in it; tools are those tools/list answered at the create
// ([] for AddMCPClient). Callers hold s.mu.
func (s *Server) renderMCPListEntry(mc *mcpClient) object {
	vkConfigs := []any{}
	for _, vk := range s.ownership.vks {
		for _, m := range vk.mcps {
			if m.client == mc.name {
				vkConfigs = append(vkConfigs, object{
					{"virtual_key_id", vk.id}, {"virtual_key_name", vk.name}, {"tools_to_execute", nonNil(m.tools)},
				})
			}
		}
	}
	tools := []any{}
	for _, t := range mc.discovered {
		params := any(object{})
		if t.InputSchema != nil {
			params = t.InputSchema
		}
		tools = append(tools, object{{"name", t.Name}, {"description", t.Description}, {"parameters", params}})
	}
	state := "connected"
	if mc.disabled {
		state = "disconnected" // guess
	}
	return object{
		{"config", s.renderMCPRow(mc, false)},
		{"tools", tools},
		{"state", state},
		{"vk_configs", vkConfigs},
	}
}

// renderMCPRow is the client's table row. guess: members and order follow
// the request's TableMCPClient; connection_string and header values are
// redacted (§2.8) in the version's secret shape; the row (with its
// autoincrement id and times) is what a VK's mcp_configs[].mcp_client
// embeds (row true), the list's config has no id or times (row false).
// Callers hold s.mu.
func (s *Server) renderMCPRow(mc *mcpClient, row bool) object {
	var o object
	if row {
		o = append(o, kv{"id", mc.rowID})
	}
	o = append(o, kv{"client_id", mc.clientID}, kv{"name", mc.name}, kv{"is_code_mode_client", mc.codeMode},
		kv{"connection_type", mc.connType})
	if mc.connString != nil {
		o = append(o, kv{"connection_string", mc.connString.shown(s.env, false).wire(s.v2)})
	}
	if mc.stdio != nil {
		// guess: shown as sent (it holds no secret), after connection_string
		// as in the row; args and envs as [] when none.
		o = append(o, kv{"stdio_config", object{
			{"command", mc.stdio.Command}, {"args", nonNil(mc.stdio.Args)}, {"envs", nonNil(mc.stdio.Envs)},
		}})
	}
	o = append(o, kv{"auth_type", mc.authType})
	if len(mc.headers) > 0 {
		h := object{}
		keys := mapKeys(mc.headers)
		slices.Sort(keys)
		for _, k := range keys {
			h = append(h, kv{k, mc.headers[k].shown(s.env, false).wire(s.v2)})
		}
		o = append(o, kv{"headers", h})
	}
	o = append(o,
		kv{"tools_to_execute", nonNil(mc.tools)}, kv{"tools_to_auto_execute", nonNil(mc.autoExecute)},
		kv{"allowed_extra_headers", nonNil(mc.extraHeaders)}, kv{"is_ping_available", mc.ping},
		kv{"tool_sync_interval", int64(mc.syncInterval)})
	// guess: tool_pricing is left out when there is none (omitempty), and
	// prices are stored unchecked (a negative one too); is_code_mode_client
	// and allow_on_all_virtual_keys are always shown.
	if len(mc.toolPricing) > 0 {
		o = append(o, kv{"tool_pricing", mc.toolPricing})
	}
	o = append(o, kv{"allow_on_all_virtual_keys", mc.allVKs}, kv{"disabled", mc.disabled})
	if row {
		ts := mc.created.Format(time.RFC3339Nano)
		o = append(o, kv{"created_at", ts}, kv{"updated_at", ts})
	}
	return o
}

func mapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// defaultMCPSyncInterval is client_config.mcp_tool_sync_interval's default,
// which a tool_sync_interval of 0 stands for.
const defaultMCPSyncInterval = 10 * time.Minute

// mcpSyncInterval converts a request's minutes (0: the default) to what
// the row holds. guess: a negative value (sync off) is kept as minutes.
func mcpSyncInterval(minutes int) time.Duration {
	if minutes == 0 {
		return defaultMCPSyncInterval
	}
	return time.Duration(minutes) * time.Minute
}

// mcpNameErr is ValidateMCPClientName.
func mcpNameErr(name string) string {
	switch {
	case strings.TrimSpace(name) == "":
		return "name is required" // guessed wording
	case strings.IndexFunc(name, func(r rune) bool { return r > 127 }) >= 0:
		return "name must contain only ASCII characters"
	case strings.Contains(name, "-"):
		return "name cannot contain hyphens"
	case strings.Contains(name, " "):
		return "name cannot contain spaces"
	case name[0] >= '0' && name[0] <= '9':
		return "name cannot start with a number"
	}
	return ""
}

// mcpToolsErr checks tools_to_execute, tools_to_auto_execute (cleared when
// nothing may execute) and allowed_extra_headers in the handler's order,
// name between the tool lists and the headers.
func mcpToolsErr(req *TableMCPClient) string {
	if msg := whitelistErr(req.ToolsToExecute); msg != "" {
		return "Invalid tools_to_execute: invalid tools_to_execute: " + msg
	}
	if len(req.ToolsToExecute) == 0 {
		req.ToolsToAutoExecute = nil
	}
	if msg := whitelistErr(req.ToolsToAutoExecute); msg != "" {
		return "Invalid tools_to_auto_execute: invalid tools_to_auto_execute: " + msg
	}
	all := len(req.ToolsToExecute) == 1 && req.ToolsToExecute[0] == "*"
	for _, tool := range req.ToolsToAutoExecute {
		switch {
		case all:
		case tool == "*":
			return "Invalid tools_to_auto_execute: tool '*' in tools_to_auto_execute requires '*' in tools_to_execute"
		case !containsFold(req.ToolsToExecute, tool):
			return fmt.Sprintf("Invalid tools_to_auto_execute: tool '%s' in tools_to_auto_execute is not in tools_to_execute", tool)
		}
	}
	if msg := mcpNameErr(req.Name); msg != "" {
		return "Invalid client name: " + msg
	}
	if msg := whitelistErr(req.AllowedExtraHeaders); msg != "" {
		return "Invalid allowed_extra_headers: invalid allowed_extra_headers: " + msg
	}
	return ""
}

func containsFold(list []string, v string) bool {
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

// createMCPClient validates, then connects to the MCP server (http
// only): a client that answers initialize and tools/list is stored with
// its tools (disabled is ignored, as Bifrost's create does); one that does
// not fails after Options.MCPConnectDelay with the message an unreachable
// server gets.
func (s *Server) createMCPClient(c *call) reply {
	var req MCPClientRequest
	if err := json.Unmarshal(c.body, &req); err != nil {
		return s.policyErr(http.StatusBadRequest, "Invalid request format: "+err.Error())
	}
	if msg := mcpToolsErr(&req.TableMCPClient); msg != "" {
		return s.policyErr(http.StatusBadRequest, msg)
	}
	if req.AuthType == "oauth" || req.AuthType == "per_user_oauth" {
		if req.OauthConfig == nil || isNull(req.OauthConfig) {
			return s.policyErr(http.StatusBadRequest, "OAuth configuration is required when auth_type is '"+req.AuthType+"'")
		}
		// Guessed: the OAuth flow (discovery, a browser) is not emulated.
		return s.policyErr(http.StatusInternalServerError, "Failed to initiate OAuth flow: OAuth flows are not emulated")
	}
	mc := s.newMCPClient(&req.TableMCPClient)
	s.mu.Lock()
	switch {
	case s.mcpClientExists(req.Name):
		s.mu.Unlock()
		return s.policyErr(http.StatusInternalServerError, "Failed to create MCP config: MCP client with name '"+req.Name+"' already exists")
	case req.ClientID != "" && s.mcpClientByID(req.ClientID) != nil:
		s.mu.Unlock()
		// guess: the wording of a taken client_id.
		return s.policyErr(http.StatusInternalServerError, "Failed to create MCP config: MCP client with id '"+req.ClientID+"' already exists")
	}
	target, hdrs := s.mcpTarget(mc)
	var cmd *exec.Cmd
	var cmdErr error
	if mc.connType == "stdio" {
		cmd, cmdErr = s.mcpCommand(mc.stdio)
	}
	s.mu.Unlock()
	var tools []*mcp.Tool
	var err error
	switch {
	case mc.connType != "stdio":
		tools, err = s.mcpConnect(c.r.Context(), mc.connType, target, hdrs)
	case cmdErr != nil:
		err = cmdErr
	default:
		tools, mc.stop, err = s.mcpConnectStdio(c.r.Context(), cmd)
	}
	if err != nil {
		s.mcpConnectWait(c)
		return s.policyErr(http.StatusInternalServerError, "Failed to connect MCP client: failed to connect MCP client: "+
			"failed to connect to MCP client "+req.Name+": failed to initialize MCP client "+req.Name+" after 5 retries: "+
			s.mcpTransportErr(&req.TableMCPClient, err))
	}
	mc.discovered = tools
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.mcpClientExists(req.Name) || s.mcpClientByID(mc.clientID) != nil {
		if mc.stop != nil {
			mc.stop()
		}
		return s.policyErr(http.StatusInternalServerError, "Failed to create MCP config: MCP client with name '"+req.Name+"' already exists")
	}
	st := s.mcps()
	st.seq++
	mc.rowID = st.seq
	st.clients = append(st.clients, mc)
	return stored(policyJSON(http.StatusOK, goMap(kv{"status", "success"}, kv{"message", "MCP client connected successfully"})))
}

// newMCPClient is the client a create request describes (not stored).
func (s *Server) newMCPClient(req *TableMCPClient) *mcpClient {
	mc := &mcpClient{
		clientID: req.ClientID, name: req.Name, tools: req.ToolsToExecute, created: time.Now().UTC(),
		connType: req.ConnectionType, authType: req.AuthType, autoExecute: req.ToolsToAutoExecute,
		extraHeaders: req.AllowedExtraHeaders, ping: true, syncInterval: mcpSyncInterval(req.ToolSyncInterval),
		toolPricing: req.ToolPricing, codeMode: req.IsCodeModeClient, allVKs: req.AllowOnAllVirtualKeys,
	}
	if mc.clientID == "" {
		mc.clientID = uuid.NewString()
	}
	if mc.connType == "" {
		mc.connType = "http" // guess
	}
	if mc.authType == "" {
		mc.authType = "none"
	}
	if req.IsPingAvailable != nil {
		mc.ping = *req.IsPingAvailable
	}
	if len(req.ConnectionString) > 0 && !isNull(req.ConnectionString) {
		sec := s.parseSecret(req.ConnectionString)
		mc.connString = &sec
	}
	if req.StdioConfig != nil {
		sc := *req.StdioConfig
		mc.stdio = &sc
	}
	for k, raw := range req.Headers {
		if mc.headers == nil {
			mc.headers = map[string]secret{}
		}
		mc.headers[k] = s.parseSecret(raw)
	}
	return mc
}

// mcpTarget is the URL and the headers (resolved) of a client's
// connection. Callers hold s.mu.
func (s *Server) mcpTarget(mc *mcpClient) (string, http.Header) {
	target := ""
	if mc.connString != nil {
		target = mc.connString.resolve(s.env)
	}
	hdrs := http.Header{}
	if mc.authType == "headers" {
		for k, v := range mc.headers {
			hdrs.Set(k, v.resolve(s.env))
		}
	}
	return target, hdrs
}

// mcpAttemptTimeout bounds one connection (initialize + tools/list).
const mcpAttemptTimeout = 10 * time.Second

// mcpConnect connects to an http MCP server as Bifrost does (initialize,
// then tools/list) and answers its tools. guess: sse and stdio are not
// connected.
func (s *Server) mcpConnect(ctx context.Context, connType, target string, hdrs http.Header) ([]*mcp.Tool, error) {
	if connType != "http" || target == "" {
		return nil, fmt.Errorf("%s connections are not emulated", connType)
	}
	ctx, cancel := context.WithTimeout(ctx, mcpAttemptTimeout)
	defer cancel()
	client := mcp.NewClient(&mcp.Implementation{Name: "bifrost", Version: s.opts.Version}, nil)
	session, err := client.Connect(ctx, &mcp.StreamableClientTransport{
		Endpoint: target, HTTPClient: &http.Client{Transport: headerTransport(hdrs)}, MaxRetries: -1, DisableStandaloneSSE: true,
	}, nil)
	if err != nil {
		return nil, err
	}
	defer func() { _ = session.Close() }()
	var tools []*mcp.Tool
	for t, err := range session.Tools(ctx, nil) {
		if err != nil {
			return nil, err
		}
		tools = append(tools, t)
	}
	return tools, nil
}

// headerTransport adds the client's headers to every request.
type headerTransport http.Header

func (h headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	for k, v := range h {
		r.Header[k] = v
	}
	return http.DefaultTransport.RoundTrip(r)
}

// mcpTransportErr is the last connection error: recorded for http, guessed
// for sse and stdio (for stdio, err: why the command did not start or speak
// MCP).
func (s *Server) mcpTransportErr(req *TableMCPClient, err error) string {
	target := ""
	if len(req.ConnectionString) > 0 && !isNull(req.ConnectionString) {
		sec := parseSecretV1(req.ConnectionString)
		if s.v2 {
			sec = parseSecretV2(req.ConnectionString)
		}
		s.mu.Lock()
		target = sec.resolve(s.env)
		s.mu.Unlock()
	}
	switch req.ConnectionType {
	case "sse":
		return fmt.Sprintf("transport error: failed to connect to SSE stream: Get %q: context deadline exceeded", target)
	case "stdio":
		var execErr *exec.Error
		if errors.As(err, &execErr) || req.StdioConfig == nil || req.StdioConfig.Command == "" {
			return "failed to start stdio transport: " + err.Error()
		}
		return "transport error: " + err.Error() // guess
	}
	return fmt.Sprintf("transport error: failed to send request: failed to send request: Post %q: context deadline exceeded", target)
}

// mcpConnectWait sleeps for the connection attempts, or until the client
// goes away or the server closes.
func (s *Server) mcpConnectWait(c *call) {
	d := s.opts.MCPConnectDelay
	if d == 0 {
		d = defaultMCPConnectDelay
	}
	if d < 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-c.r.Context().Done():
	case <-s.closing:
	}
}

// mcpClientByID is the stored client of that client_id, or nil. Callers
// hold s.mu.
func (s *Server) mcpClientByID(id string) *mcpClient {
	i := slices.IndexFunc(s.mcps().clients, func(c *mcpClient) bool { return c.clientID == id })
	if i < 0 {
		return nil
	}
	return s.mcps().clients[i]
}

// updateMCPClient answers an unknown id with 404 once the body decodes
// (recorded). guess (§2.8, not recorded): connection_type, auth_type and
// connection_string cannot change; name is required; the tool lists,
// is_ping_available, allowed_extra_headers and headers are kept when
// omitted (a header equal to its redaction is kept); tool_pricing,
// is_code_mode_client, allow_on_all_virtual_keys, disabled and
// tool_sync_interval are replaced. The server is not connected again.
func (s *Server) updateMCPClient(c *call, id string) reply {
	var req MCPClientUpdateRequest
	if err := json.Unmarshal(c.body, &req); err != nil {
		return s.policyErr(http.StatusBadRequest, "Invalid request format: "+err.Error())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	mc := s.mcpClientByID(id)
	if mc == nil {
		return s.policyErr(http.StatusNotFound, "MCP client not found")
	}
	if req.OauthConfig != nil && !isNull(req.OauthConfig) {
		return s.policyErr(http.StatusBadRequest, "updating oauth_config is not supported")
	}
	if req.ConnectionType != "" && req.ConnectionType != mc.connType {
		return s.policyErr(http.StatusBadRequest, "connection_type cannot be changed for an existing MCP client")
	}
	if req.AuthType != "" && req.AuthType != mc.authType {
		return s.policyErr(http.StatusBadRequest, "auth_type cannot be changed for an existing MCP client")
	}
	if req.StdioConfig != nil && mc.stdio != nil && !sameStdio(*req.StdioConfig, *mc.stdio) {
		// guess: §2.8's wording for the immutable fields.
		return s.policyErr(http.StatusBadRequest, "stdio_config cannot be changed for an existing MCP client")
	}
	if len(req.ConnectionString) > 0 && !isNull(req.ConnectionString) && mc.connString != nil {
		in := s.parseSecret(req.ConnectionString)
		if in.stored() != mc.connString.stored() && !keepStored(in, *mc.connString, s.env, false, s.v2) {
			return s.policyErr(http.StatusBadRequest, "connection_string cannot be changed for an existing MCP client")
		}
	}
	if req.ToolsToExecute == nil {
		req.ToolsToExecute = mc.tools
	}
	if req.ToolsToAutoExecute == nil {
		req.ToolsToAutoExecute = mc.autoExecute
	}
	if msg := mcpToolsErr(&req.TableMCPClient); msg != "" {
		return s.policyErr(http.StatusBadRequest, msg)
	}
	if other := s.mcpClientByName(req.Name); other != nil && other != mc {
		return s.policyErr(http.StatusInternalServerError, "Failed to update MCP config: MCP client with name '"+req.Name+"' already exists")
	}
	if req.VKConfigs != nil {
		return s.policyErr(http.StatusBadRequest, "vk_configs are not emulated") // guess
	}
	if req.Name != mc.name {
		for _, vk := range s.ownership.vks {
			for _, m := range vk.mcps {
				if m.client == mc.name {
					m.client = req.Name
				}
			}
		}
	}
	mc.name, mc.tools, mc.autoExecute = req.Name, req.ToolsToExecute, req.ToolsToAutoExecute
	if req.IsPingAvailable != nil {
		mc.ping = *req.IsPingAvailable
	}
	if req.AllowedExtraHeaders != nil {
		mc.extraHeaders = req.AllowedExtraHeaders
	}
	if req.Headers != nil {
		headers := map[string]secret{}
		for k, raw := range req.Headers {
			in := s.parseSecret(raw)
			if cur, ok := mc.headers[k]; ok && keepStored(in, cur, s.env, false, s.v2) {
				in = cur
			}
			headers[k] = in
		}
		mc.headers = headers
	}
	mc.toolPricing, mc.codeMode, mc.allVKs, mc.disabled = req.ToolPricing, req.IsCodeModeClient, req.AllowOnAllVirtualKeys, req.Disabled
	mc.syncInterval = mcpSyncInterval(req.ToolSyncInterval)
	return stored(policyJSON(http.StatusOK, goMap(kv{"status", "success"}, kv{"message", "MCP client edited successfully"})))
}

// deleteMCPClient answers an unknown id with the store's error, as a 500
// (recorded); a stored client is removed with every VK's config of it, and
// the answer is §2.8's (not recorded).
func (s *Server) deleteMCPClient(_ *call, id string) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	mc := s.mcpClientByID(id)
	if mc == nil {
		return s.policyErr(http.StatusInternalServerError, "failed to delete MCP config: MCP client with id '"+id+"' not found")
	}
	s.dropMCPClient(mc)
	return stored(policyJSON(http.StatusOK, goMap(kv{"status", "success"}, kv{"message", "MCP client removed successfully"})))
}

// sameStdio reports whether two stdio_configs are equal (a missing list is
// an empty one).
func sameStdio(a, b stdioConfig) bool {
	return a.Command == b.Command && slices.Equal(a.Args, b.Args) && slices.Equal(a.Envs, b.Envs)
}

// mcpCommand is the process of a stdio client, not started: the command is
// looked up in the PATH of the emulated Bifrost's environment (Options.Env)
// unless it holds a slash, and runs with that environment plus envs
// (guess). Callers hold s.mu.
func (s *Server) mcpCommand(sc *stdioConfig) (*exec.Cmd, error) {
	if sc == nil || sc.Command == "" {
		return nil, &exec.Error{Name: "", Err: exec.ErrNotFound}
	}
	bin, err := lookPath(sc.Command, s.env["PATH"])
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, sc.Args...)
	cmd.Args[0] = sc.Command
	env := make([]string, 0, len(s.env)+len(sc.Envs))
	for _, k := range slices.Sorted(maps.Keys(s.env)) {
		env = append(env, k+"="+s.env[k])
	}
	cmd.Env = append(env, sc.Envs...)
	return cmd, nil
}

// lookPath is exec.LookPath with the PATH given.
func lookPath(command, pathList string) (string, error) {
	if strings.Contains(command, "/") {
		if err := executable(command); err != nil {
			return "", &exec.Error{Name: command, Err: err}
		}
		return command, nil
	}
	for _, dir := range filepath.SplitList(pathList) {
		if dir == "" {
			dir = "."
		}
		p := filepath.Join(dir, command)
		if executable(p) == nil {
			return p, nil
		}
	}
	return "", &exec.Error{Name: command, Err: exec.ErrNotFound}
}

func executable(p string) error {
	fi, err := os.Stat(p)
	if err != nil {
		return err
	}
	if fi.IsDir() || fi.Mode()&0o111 == 0 {
		return fs.ErrPermission
	}
	return nil
}

// mcpStdioTerminate is how long the end of a stdio client's process waits
// for it to exit once its stdin is closed, before it is signalled.
const mcpStdioTerminate = time.Second

// mcpConnectStdio starts cmd and speaks MCP to it over its stdin/stdout
// (initialize, then tools/list), as Bifrost does. On success the process
// keeps running: stop ends it (and is called when the server closes).
func (s *Server) mcpConnectStdio(ctx context.Context, cmd *exec.Cmd) (tools []*mcp.Tool, stop func(), err error) {
	ctx, cancel := context.WithTimeout(ctx, mcpAttemptTimeout)
	defer cancel()
	client := mcp.NewClient(&mcp.Implementation{Name: "bifrost", Version: s.opts.Version}, nil)
	session, err := client.Connect(ctx, &mcp.CommandTransport{Command: cmd, TerminateDuration: mcpStdioTerminate}, nil)
	if err != nil {
		return nil, nil, err
	}
	for t, err := range session.Tools(ctx, nil) {
		if err != nil {
			_ = session.Close()
			return nil, nil, err
		}
		tools = append(tools, t)
	}
	done := make(chan struct{})
	var once sync.Once
	stop = func() {
		once.Do(func() {
			close(done)
			_ = session.Close()
		})
	}
	go func() {
		select {
		case <-s.closing:
			stop()
		case <-done:
		}
	}()
	return tools, stop, nil
}
