package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// The emulator holds no MCP clients: creating one needs Bifrost to connect
// to a live MCP server, which it does not emulate, so every create that
// passes validation fails to connect the way an unreachable server does.

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

// mcpClientExists reports whether an MCP client with that name exists: never,
// as the emulator holds no MCP clients. Callers hold s.mu.
func (s *Server) mcpClientExists(string) bool { return false }

// listMCPClients answers the empty list; the paginated form echoes the
// clamped page (guess).
func (s *Server) listMCPClients(c *call) reply {
	page, rp, ok := s.policyPage(c)
	if !ok {
		return rp
	}
	return policyJSON(http.StatusOK, page.envelope("clients", []any{}))
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

// updateMCPClient: every id is unknown once the body decodes.
func (s *Server) updateMCPClient(c *call, _ string) reply {
	var req MCPClientUpdateRequest
	if err := json.Unmarshal(c.body, &req); err != nil {
		return s.policyErr(http.StatusBadRequest, "Invalid request format: "+err.Error())
	}
	return s.policyErr(http.StatusNotFound, "MCP client not found")
}

// deleteMCPClient answers an unknown id with the store's error, as a 500.
func (s *Server) deleteMCPClient(_ *call, id string) reply {
	return s.policyErr(http.StatusInternalServerError, "failed to delete MCP config: MCP client with id '"+id+"' not found")
}
