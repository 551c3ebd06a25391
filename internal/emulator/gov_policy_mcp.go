package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Creating an MCP client needs Bifrost to connect to a live MCP server,
// which the emulator does not emulate: every create that passes validation
// fails to connect the way an unreachable server does. Tests that need a
// client put one in with AddMCPClient, as a create against a reachable
// server would leave it; the list, DELETE and virtual keys' mcp_configs
// then see it.

// mcpClient is an MCP client Bifrost holds (connected).
type mcpClient struct {
	rowID    uint   // the table row's autoincrement id (a VK mcp config's mcp_client_id)
	clientID string // the id of the /api/mcp/client/{id} routes
	name     string
	tools    []string // tools_to_execute
	created  time.Time
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
// (the emulator cannot make that connection), and returns its client_id (a
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
	c := &mcpClient{rowID: st.seq, clientID: uuid.NewString(), name: name, tools: []string{"*"}, created: time.Now().UTC()}
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
	ClientID         string          `json:"client_id"`
	Name             string          `json:"name"`
	IsCodeModeClient bool            `json:"is_code_mode_client"`
	ConnectionType   string          `json:"connection_type"`
	ConnectionString json.RawMessage `json:"connection_string"`
	StdioConfig      *struct {
		Command string   `json:"command"`
		Args    []string `json:"args"`
		Envs    []string `json:"envs"`
	} `json:"stdio_config"`
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
// with a client in it; config carries the members the emulator holds, as
// a connected http client created with only a name and tools would show
// them (tool_sync_interval: the 10 min default, in nanoseconds). Callers
// hold s.mu.
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
	return object{
		{"config", s.renderMCPRow(mc, false)},
		{"tools", []any{}},
		{"state", "connected"},
		{"vk_configs", vkConfigs},
	}
}

// renderMCPRow is the client's table row. guess: members and order follow
// the request's TableMCPClient; the row (with its autoincrement id and
// times) is what a VK's mcp_configs[].mcp_client embeds (row true), the
// list's config has no id or times (row false).
func (s *Server) renderMCPRow(mc *mcpClient, row bool) object {
	var o object
	if row {
		o = append(o, kv{"id", mc.rowID})
	}
	o = append(o,
		kv{"client_id", mc.clientID}, kv{"name", mc.name}, kv{"is_code_mode_client", false},
		kv{"connection_type", "http"}, kv{"auth_type", "none"},
		kv{"tools_to_execute", nonNil(mc.tools)}, kv{"tools_to_auto_execute", []string{}},
		kv{"allowed_extra_headers", []string{}}, kv{"is_ping_available", true},
		kv{"tool_sync_interval", int64(10 * time.Minute)}, kv{"allow_on_all_virtual_keys", false}, kv{"disabled", false},
	)
	if row {
		ts := mc.created.Format(time.RFC3339Nano)
		o = append(o, kv{"created_at", ts}, kv{"updated_at", ts})
	}
	return o
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

// createMCPClient validates, then fails to connect after
// Options.MCPConnectDelay with the message an unreachable server gets.
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
	s.mcpConnectWait(c)
	return s.policyErr(http.StatusInternalServerError, "Failed to connect MCP client: failed to connect MCP client: "+
		"failed to connect to MCP client "+req.Name+": failed to initialize MCP client "+req.Name+" after 5 retries: "+
		s.mcpTransportErr(&req.TableMCPClient))
}

// mcpTransportErr is the last connection error: recorded for http, guessed
// for sse and stdio.
func (s *Server) mcpTransportErr(req *TableMCPClient) string {
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
		command := ""
		if req.StdioConfig != nil {
			command = req.StdioConfig.Command
		}
		return fmt.Sprintf("failed to start stdio transport: exec: %q: executable file not found in $PATH", command)
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
// (recorded). guess: for a stored client only tools_to_execute is applied
// (omitted → kept) and the answer is §2.8's; the other members are not
// held.
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
	if req.ToolsToExecute != nil {
		mc.tools = req.ToolsToExecute
	}
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
