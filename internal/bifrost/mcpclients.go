package bifrost

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// MCPClientConfig is an MCP client's row as the list shows it (config):
// connection_string and header values redacted, tool_sync_interval in
// nanoseconds.
type MCPClientConfig struct {
	ClientID              string               `json:"client_id"`
	Name                  string               `json:"name"`
	IsCodeModeClient      bool                 `json:"is_code_mode_client"`
	ConnectionType        string               `json:"connection_type"`
	ConnectionString      *SecretVar           `json:"connection_string,omitempty"`
	StdioConfig           *MCPStdioConfig      `json:"stdio_config,omitempty"`
	AuthType              string               `json:"auth_type"`
	Headers               map[string]SecretVar `json:"headers,omitempty"`
	ToolsToExecute        []string             `json:"tools_to_execute"`
	ToolsToAutoExecute    []string             `json:"tools_to_auto_execute"`
	AllowedExtraHeaders   []string             `json:"allowed_extra_headers"`
	IsPingAvailable       *bool                `json:"is_ping_available,omitempty"`
	ToolSyncInterval      time.Duration        `json:"tool_sync_interval"`
	ToolPricing           map[string]float64   `json:"tool_pricing,omitempty"`
	AllowOnAllVirtualKeys bool                 `json:"allow_on_all_virtual_keys"`
	Disabled              bool                 `json:"disabled"`
}

// MCPStdioConfig is a stdio client's process: Bifrost runs Command with
// Args on its own host and speaks MCP over its stdin/stdout. Envs are the
// environment variables the command needs, as Bifrost takes them (a list
// of strings, added to Bifrost's own environment).
type MCPStdioConfig struct {
	Command string   `json:"command"`
	Args    []string `json:"args"`
	Envs    []string `json:"envs"`
}

// MCPTool is a tool an MCP server offered when Bifrost last listed them.
type MCPTool struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// MCPClientVKConfig is a virtual key's grant of an MCP client's tools.
type MCPClientVKConfig struct {
	VirtualKeyID   string   `json:"virtual_key_id"`
	VirtualKeyName string   `json:"virtual_key_name"`
	ToolsToExecute []string `json:"tools_to_execute"`
}

// MCPClient is an entry of GET /api/mcp/clients.
type MCPClient struct {
	Config    MCPClientConfig     `json:"config"`
	Tools     []MCPTool           `json:"tools"`
	State     string              `json:"state"` // connected, disconnected, error
	VKConfigs []MCPClientVKConfig `json:"vk_configs"`
}

// MCPClientRequest is the body of a create and of an update. Create and
// update send every member: the create ignores Disabled (apply it with an
// update); an update replaces tool_pricing, is_code_mode_client,
// allow_on_all_virtual_keys, disabled and tool_sync_interval, and keeps
// what is omitted of the others (nil). connection_type, auth_type,
// connection_string and stdio_config cannot change after the create.
type MCPClientRequest struct {
	ClientID         string     `json:"client_id,omitempty"`
	Name             string     `json:"name"`
	ConnectionType   string     `json:"connection_type,omitempty"`
	ConnectionString *SecretVar `json:"connection_string,omitempty"`
	// StdioConfig is required for connection_type "stdio"; it cannot change
	// after the create.
	StdioConfig    *MCPStdioConfig      `json:"stdio_config,omitempty"`
	AuthType       string               `json:"auth_type,omitempty"`
	Headers        map[string]SecretVar `json:"headers,omitempty"`
	ToolsToExecute []string             `json:"tools_to_execute"`
	// ToolsToAutoExecute are the tools Bifrost runs without asking, among
	// ToolsToExecute (every one when that is ["*"]); nil (sent as null) keeps
	// the stored list on an update, [] clears it.
	ToolsToAutoExecute  []string `json:"tools_to_auto_execute"`
	AllowedExtraHeaders []string `json:"allowed_extra_headers,omitempty"`
	IsPingAvailable     *bool    `json:"is_ping_available,omitempty"`
	// ToolSyncInterval is in minutes (0: the server's default, 10 min;
	// negative: no sync); the list answers it in nanoseconds.
	ToolSyncInterval int64 `json:"tool_sync_interval"`
	// ToolPricing is the price of one call of each tool (by tool name); an
	// update replaces it (omitted: none).
	ToolPricing           map[string]float64 `json:"tool_pricing,omitempty"`
	IsCodeModeClient      bool               `json:"is_code_mode_client"`
	AllowOnAllVirtualKeys bool               `json:"allow_on_all_virtual_keys"`
	Disabled              bool               `json:"disabled"`
}

// secrets are the request's literal secrets, kept out of logs and errors.
func (r MCPClientRequest) secrets() []string {
	var out []string
	if r.ConnectionString != nil && r.ConnectionString.Ref == "" {
		out = append(out, r.ConnectionString.Value)
	}
	for _, h := range r.Headers {
		if h.Ref == "" {
			out = append(out, h.Value)
		}
	}
	return out
}

type mcpClientList struct {
	Clients []MCPClient `json:"clients"`
}

const (
	mcpClientsPath = "/api/mcp/clients"
	mcpClientPath  = "/api/mcp/client"
)

// MCPConnectTimeout bounds one create of an MCP client: Bifrost connects
// to the MCP server before it answers, and gives up on an unreachable one
// after about 31 s (5 attempts).
const MCPConnectTimeout = 2 * time.Minute

// connectClients are clients like c whose requests may last
// MCPConnectTimeout, for the creates (keyed by *Client).
var connectClients sync.Map

// forConnect is c, or a client like it whose requests may last
// MCPConnectTimeout when c's are bounded more tightly.
func (c *Client) forConnect() *Client {
	if c.cfg.RequestTimeout >= MCPConnectTimeout {
		return c
	}
	if v, ok := connectClients.Load(c); ok {
		if long, ok := v.(*Client); ok {
			return long
		}
	}
	cfg := c.cfg
	cfg.RequestTimeout = MCPConnectTimeout
	long, err := New(cfg)
	if err != nil {
		return c
	}
	v, _ := connectClients.LoadOrStore(c, long)
	if stored, ok := v.(*Client); ok {
		return stored
	}
	return long
}

// ListMCPClients returns every MCP client, in creation order (there is no
// GET by id: read one through the list).
func (c *Client) ListMCPClients(ctx context.Context) ([]MCPClient, error) {
	var out mcpClientList
	err := c.do(ctx, http.MethodGet, mcpClientsPath, nil, &out)
	return out.Clients, err
}

// GetMCPClient returns the client of that client_id from the list; a
// missing one is a not-found error.
func (c *Client) GetMCPClient(ctx context.Context, id string) (*MCPClient, error) {
	all, err := c.ListMCPClients(ctx)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].Config.ClientID == id {
			return &all[i], nil
		}
	}
	return nil, &APIError{Method: http.MethodGet, Path: mcpClientsPath, StatusCode: http.StatusNotFound,
		Message: "MCP client with id '" + id + "' not found (not in the list)", Attempts: 1}
}

// CreateMCPClient creates an MCP client. Bifrost connects to the MCP
// server before it answers (up to about 31 s for an unreachable one, then
// a 500): the request may last MCPConnectTimeout. The answer carries no
// object: send a ClientID and read the client through the list.
func (c *Client) CreateMCPClient(ctx context.Context, in MCPClientRequest) error {
	ctx = withRequestSecrets(ctx, in.secrets())
	return c.forConnect().do(ctx, http.MethodPost, mcpClientPath, in, nil)
}

// UpdateMCPClient updates the client of that client_id (see
// MCPClientRequest); an unknown id is a not-found error.
func (c *Client) UpdateMCPClient(ctx context.Context, id string, in MCPClientRequest) error {
	ctx = withRequestSecrets(ctx, in.secrets())
	return c.do(ctx, http.MethodPut, mcpClientPath+"/"+url.PathEscape(id), in, nil)
}

// DeleteMCPClient deletes the client of that client_id, and every virtual
// key's grant of it. Bifrost answers an unknown id with a 500 "…not
// found": it is returned as a not-found error.
func (c *Client) DeleteMCPClient(ctx context.Context, id string) error {
	err := c.do(ctx, http.MethodDelete, mcpClientPath+"/"+url.PathEscape(id), nil, nil)
	if IsMCPClientGone(err) {
		return &APIError{Method: http.MethodDelete, Path: mcpClientPath + "/" + id, StatusCode: http.StatusNotFound,
			Message: mcpErrMessage(err), Attempts: 1}
	}
	return err
}

// IsMCPClientGone reports whether err is Bifrost's 500 to the delete of an
// unknown MCP client ("…MCP client with id 'x' not found").
func IsMCPClientGone(err error) bool {
	return statusOf(err) == http.StatusInternalServerError && strings.HasSuffix(mcpErrMessage(err), "not found")
}

func mcpErrMessage(err error) string {
	var e *APIError
	if errors.As(err, &e) {
		return e.Message
	}
	return ""
}
