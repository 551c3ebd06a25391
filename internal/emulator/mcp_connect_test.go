package emulator

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/mcptest"
)

// listedMCP is an entry of GET /api/mcp/clients, decoded.
type listedMCP struct {
	Config struct {
		ClientID         string `json:"client_id"`
		Name             string `json:"name"`
		ConnectionString struct {
			Value string `json:"value"`
		} `json:"connection_string"`
		Headers          map[string]struct{ Value string } `json:"headers"`
		ToolsToExecute   []string                          `json:"tools_to_execute"`
		ToolSyncInterval int64                             `json:"tool_sync_interval"`
		Disabled         bool                              `json:"disabled"`
	} `json:"config"`
	Tools []struct {
		Name string `json:"name"`
	} `json:"tools"`
	State string `json:"state"`
}

func listMCP(t *testing.T, call func(method, path, body string) (int, string)) []listedMCP {
	t.Helper()
	status, body := call("GET", "/api/mcp/clients", "")
	if status != 200 {
		t.Fatalf("list: %d %s", status, body)
	}
	var out struct {
		Clients []listedMCP `json:"clients"`
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	return out.Clients
}

// TestMCPClientConnect covers POST /api/mcp/client against a live MCP
// server (mcptest): the synchronous connect (initialize, tools/list), the
// tools and redactions of the list, tool_sync_interval in minutes in and
// nanoseconds out, disabled ignored on create and applied by an update,
// headers sent to the MCP server, the immutable fields, duplicate names and
// client ids, and a server that cannot be reached.
func TestMCPClientConnect(t *testing.T) {
	for _, version := range []string{"v1.5.1", "v2.2.6"} {
		t.Run(version, func(t *testing.T) {
			mcpSrv := mcptest.Start(t)
			_, call := versioned(t, version, Options{Env: map[string]string{"MCP_TOKEN": "Bearer token-from-env-0123456789"}})
			create := `{"client_id":"c1","name":"tools","connection_type":"http","connection_string":"` + mcpSrv.URL + `",` +
				`"auth_type":"headers","headers":{"Authorization":"env.MCP_TOKEN","X-Team":"team-secret-0123456789"},` +
				`"tools_to_execute":["echo","add"],"tool_sync_interval":5,"disabled":true}`
			status, body := call("POST", "/api/mcp/client", create)
			if status != 200 || body != `{"message":"MCP client connected successfully","status":"success"}`+"\n" {
				t.Fatalf("create: %d %s", status, body)
			}
			if !mcpSrv.SawHeader("Authorization", "Bearer token-from-env-0123456789") || !mcpSrv.SawHeader("X-Team", "team-secret-0123456789") {
				t.Error("the headers were not sent to the MCP server")
			}
			got := listMCP(t, call)
			if len(got) != 1 {
				t.Fatalf("list: %+v", got)
			}
			c := got[0]
			var tools []string
			for _, tool := range c.Tools {
				tools = append(tools, tool.Name)
			}
			if c.Config.ClientID != "c1" || c.State != "connected" || len(tools) != 3 || c.Config.Disabled ||
				c.Config.ToolSyncInterval != int64(5*time.Minute) || strings.Join(c.Config.ToolsToExecute, ",") != "echo,add" {
				t.Errorf("listed: %+v (tools %v)", c, tools)
			}
			if c.Config.ConnectionString.Value != bifrost.Mask(mcpSrv.URL) || c.Config.Headers["X-Team"].Value != bifrost.Mask("team-secret-0123456789") {
				t.Errorf("not redacted: %+v", c.Config)
			}
			if strings.Contains(body, "team-secret-0123456789") {
				t.Error("header value in clear")
			}
			// Duplicates.
			status, body = call("POST", "/api/mcp/client", strings.Replace(create, `"client_id":"c1",`, "", 1))
			if status != 500 || !strings.Contains(body, "Failed to create MCP config: MCP client with name 'tools' already exists") {
				t.Errorf("duplicate name: %d %s", status, body)
			}
			status, body = call("POST", "/api/mcp/client", strings.Replace(create, `"name":"tools"`, `"name":"other"`, 1))
			if status != 500 || !strings.Contains(body, "MCP client with id 'c1' already exists") {
				t.Errorf("duplicate id: %d %s", status, body)
			}
			// Update: disabled applied, interval replaced (0: the default),
			// the redacted header kept.
			status, body = call("PUT", "/api/mcp/client/c1", `{"name":"tools2","tools_to_execute":["*"],"disabled":true,"headers":{"X-Team":"`+
				bifrost.Mask("team-secret-0123456789")+`"}}`)
			if status != 200 {
				t.Fatalf("update: %d %s", status, body)
			}
			c = listMCP(t, call)[0]
			if c.Config.Name != "tools2" || !c.Config.Disabled || c.Config.ToolSyncInterval != int64(10*time.Minute) ||
				c.Config.Headers["X-Team"].Value != bifrost.Mask("team-secret-0123456789") || len(c.Config.Headers) != 1 {
				t.Errorf("after update: %+v", c.Config)
			}
			for field, body := range map[string]string{
				"connection_type":   `{"name":"tools2","connection_type":"sse"}`,
				"auth_type":         `{"name":"tools2","auth_type":"none"}`,
				"connection_string": `{"name":"tools2","connection_string":"http://127.0.0.1:1/other"}`,
			} {
				status, answer := call("PUT", "/api/mcp/client/c1", body)
				if status != 400 || !strings.Contains(answer, field+" cannot be changed for an existing MCP client") {
					t.Errorf("%s change: %d %s", field, status, answer)
				}
			}
			if status, body = call("PUT", "/api/mcp/client/c1", `{"name":"bad-name"}`); status != 400 || !strings.Contains(body, "name cannot contain hyphens") {
				t.Errorf("bad rename: %d %s", status, body)
			}
			if status, _ = call("DELETE", "/api/mcp/client/c1", ""); status != 200 || len(listMCP(t, call)) != 0 {
				t.Errorf("delete: %d", status)
			}
			// The server gone: the create fails after the delay.
			mcpSrv.Close()
			start := time.Now()
			status, body = call("POST", "/api/mcp/client", create)
			if status != 500 || !strings.Contains(body, "Failed to connect MCP client: failed to connect MCP client: failed to connect to MCP client tools: "+
				"failed to initialize MCP client tools after 5 retries: transport error:") || time.Since(start) < defaultMCPConnectDelay {
				t.Errorf("unreachable: %d %s after %s", status, body, time.Since(start))
			}
			if len(listMCP(t, call)) != 0 {
				t.Error("a failed create stored a client")
			}
		})
	}
}

// TestMCPConnectDelay checks that Options.MCPConnectDelay sets how long an
// unreachable server's create takes.
func TestMCPConnectDelay(t *testing.T) {
	_, call := versioned(t, "v1.5.1", Options{MCPConnectDelay: 300 * time.Millisecond})
	start := time.Now()
	status, _ := call("POST", "/api/mcp/client", `{"name":"tools","connection_type":"http","connection_string":"http://127.0.0.1:9/mcp","tools_to_execute":["*"]}`)
	if status != 500 || time.Since(start) < 300*time.Millisecond {
		t.Errorf("%d after %s", status, time.Since(start))
	}
}

// TestMCPClientToolOptions covers tools_to_auto_execute (kept when omitted
// from an update, among tools_to_execute, cleared with no tool to execute),
// and tool_pricing, is_code_mode_client and allow_on_all_virtual_keys
// (stored on create, replaced by an update: omitted, zero).
func TestMCPClientToolOptions(t *testing.T) {
	type row struct {
		ToolsToAutoExecute    []string           `json:"tools_to_auto_execute"`
		ToolPricing           map[string]float64 `json:"tool_pricing"`
		IsCodeModeClient      bool               `json:"is_code_mode_client"`
		AllowOnAllVirtualKeys bool               `json:"allow_on_all_virtual_keys"`
	}
	for _, version := range []string{"v1.5.1", "v2.2.6"} {
		t.Run(version, func(t *testing.T) {
			mcpSrv := mcptest.Start(t)
			_, call := versioned(t, version, Options{})
			get := func() row {
				t.Helper()
				status, body := call("GET", "/api/mcp/clients", "")
				var out struct {
					Clients []struct {
						Config row `json:"config"`
					} `json:"clients"`
				}
				if err := json.Unmarshal([]byte(body), &out); status != 200 || err != nil || len(out.Clients) != 1 {
					t.Fatalf("list: %d %s %v", status, body, err)
				}
				return out.Clients[0].Config
			}
			base := `"name":"tools","connection_type":"http","connection_string":"` + mcpSrv.URL + `"`
			for _, tc := range []struct{ body, want string }{
				{`"tools_to_execute":["echo"],"tools_to_auto_execute":["add"]`, "tool 'add' in tools_to_auto_execute is not in tools_to_execute"},
				{`"tools_to_execute":["echo"],"tools_to_auto_execute":["*"]`, "tool '*' in tools_to_auto_execute requires '*' in tools_to_execute"},
				{`"tools_to_execute":["*"],"tools_to_auto_execute":["echo","ECHO"]`, "duplicate value 'ECHO'"},
			} {
				if status, body := call("POST", "/api/mcp/client", `{`+base+`,`+tc.body+`}`); status != 400 || !strings.Contains(body, tc.want) {
					t.Errorf("%s: %d %s", tc.body, status, body)
				}
			}
			status, body := call("POST", "/api/mcp/client", `{"client_id":"c1",`+base+`,"tools_to_execute":["echo","add"],`+
				`"tools_to_auto_execute":["ECHO"],"tool_pricing":{"echo":0.001,"add":0.25},"is_code_mode_client":true,"allow_on_all_virtual_keys":true}`)
			if status != 200 {
				t.Fatalf("create: %d %s", status, body)
			}
			if c := get(); strings.Join(c.ToolsToAutoExecute, ",") != "ECHO" || c.ToolPricing["echo"] != 0.001 || c.ToolPricing["add"] != 0.25 ||
				!c.IsCodeModeClient || !c.AllowOnAllVirtualKeys {
				t.Errorf("created: %+v", c)
			}
			// Omitted: auto-execute kept; prices, code mode and all VKs cleared.
			if status, body = call("PUT", "/api/mcp/client/c1", `{"name":"tools"}`); status != 200 {
				t.Fatalf("update: %d %s", status, body)
			}
			if c := get(); strings.Join(c.ToolsToAutoExecute, ",") != "ECHO" || len(c.ToolPricing) != 0 || c.IsCodeModeClient || c.AllowOnAllVirtualKeys {
				t.Errorf("after an update omitting them: %+v", c)
			}
			if status, body = call("PUT", "/api/mcp/client/c1", `{"name":"tools","tools_to_execute":["echo"],"tools_to_auto_execute":["add"]}`); status != 400 ||
				!strings.Contains(body, "tool 'add' in tools_to_auto_execute is not in tools_to_execute") {
				t.Errorf("update outside tools_to_execute: %d %s", status, body)
			}
			if status, body = call("PUT", "/api/mcp/client/c1", `{"name":"tools","tools_to_execute":[],"tools_to_auto_execute":["echo"]}`); status != 200 {
				t.Fatalf("update: %d %s", status, body)
			}
			if c := get(); len(c.ToolsToAutoExecute) != 0 {
				t.Errorf("auto-execute kept with nothing to execute: %+v", c)
			}
		})
	}
}

// waitEnded waits (a little) for the process pid to end.
func waitEnded(pid int) bool {
	for range 50 {
		if !mcptest.Running(pid) {
			return true
		}
		time.Sleep(100 * time.Millisecond)
	}
	return false
}

// TestMCPClientStdio covers a stdio client: the command (the test MCP
// server's stdio build) is started with its args and envs, spoken to
// (initialize, tools/list), listed with its stdio_config, kept running
// while the client exists and ended by the delete and by Server.Close;
// stdio_config cannot change; a command that is missing (looked up in the
// PATH of Options.Env) or that does not speak MCP fails as an unreachable
// server.
func TestMCPClientStdio(t *testing.T) {
	bin := mcptest.BuildStdio(t)
	for _, version := range []string{"v1.5.1", "v2.2.6"} {
		t.Run(version, func(t *testing.T) {
			dir := t.TempDir()
			pidFile := filepath.Join(dir, "pid")
			s, call := versioned(t, version, Options{MCPConnectDelay: -1, Env: map[string]string{"PATH": filepath.Dir(bin)}})
			stdio := func(command string, args ...string) string {
				b, _ := json.Marshal(map[string]any{"command": command, "args": args, "envs": []string{"MCP_MODE=test"}})
				return string(b)
			}
			create := `{"client_id":"s1","name":"local","connection_type":"stdio","stdio_config":` + stdio(bin, "-pidfile", pidFile) +
				`,"tools_to_execute":["*"]}`
			if status, body := call("POST", "/api/mcp/client", create); status != 200 {
				t.Fatalf("create: %d %s", status, body)
			}
			pid := mcptest.PIDFromFile(pidFile)
			if !mcptest.Running(pid) {
				t.Fatalf("the stdio server (pid %d) is not running", pid)
			}
			environ, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/environ")
			if err == nil && !strings.Contains(string(environ), "MCP_MODE=test") {
				t.Errorf("envs not passed: %q", environ)
			}
			status, body := call("GET", "/api/mcp/clients", "")
			if status != 200 || !strings.Contains(body, `"connection_type":"stdio","stdio_config":{"command":"`+bin+`","args":["-pidfile","`+pidFile+`"],"envs":["MCP_MODE=test"]}`) {
				t.Errorf("list: %d %s", status, body)
			}
			if c := listMCP(t, call); len(c) != 1 || len(c[0].Tools) != len(mcptest.Tools) || c[0].State != "connected" {
				t.Errorf("listed: %+v", c)
			}
			// By name, through the PATH of the emulated environment.
			if status, body := call("POST", "/api/mcp/client", `{"name":"bypath","connection_type":"stdio","stdio_config":`+stdio("mcptest-stdio")+`}`); status != 200 {
				t.Errorf("create by name: %d %s", status, body)
			}
			if status, body := call("PUT", "/api/mcp/client/s1", `{"name":"local","stdio_config":`+stdio(bin)+`}`); status != 400 ||
				!strings.Contains(body, "stdio_config cannot be changed for an existing MCP client") {
				t.Errorf("stdio_config change: %d %s", status, body)
			}
			if status, body := call("PUT", "/api/mcp/client/s1", `{"name":"local","stdio_config":`+stdio(bin, "-pidfile", pidFile)+`}`); status != 200 {
				t.Errorf("same stdio_config: %d %s", status, body)
			}
			if !mcptest.Running(pid) {
				t.Fatal("the process ended with the update")
			}
			if status, _ := call("DELETE", "/api/mcp/client/s1", ""); status != 200 {
				t.Errorf("delete: %d", status)
			}
			if !waitEnded(pid) {
				t.Errorf("the process %d outlived its client", pid)
			}
			// Failures: a missing command, one that does not speak MCP.
			for _, tc := range []struct{ stdio, want string }{
				{stdio("no-such-mcp-server"), `failed to start stdio transport: exec: \"no-such-mcp-server\": executable file not found in $PATH`},
				{stdio(filepath.Join(dir, "missing")), `failed to start stdio transport: exec: \"` + filepath.Join(dir, "missing") + `\"`},
				{stdio(bin, "-pidfile", filepath.Join(dir, "no", "such", "dir")), "Failed to connect MCP client: failed to connect MCP client: " +
					"failed to connect to MCP client bad: failed to initialize MCP client bad after 5 retries: transport error:"},
			} {
				status, body := call("POST", "/api/mcp/client", `{"name":"bad","connection_type":"stdio","stdio_config":`+tc.stdio+`}`)
				if status != 500 || !strings.Contains(body, tc.want) {
					t.Errorf("%s: %d %s", tc.stdio, status, body)
				}
			}
			if c := listMCP(t, call); len(c) != 1 || c[0].Config.Name != "bypath" {
				t.Errorf("after the failures: %+v", c)
			}
			// Server.Close ends the processes left.
			second := filepath.Join(dir, "pid2")
			if status, body := call("POST", "/api/mcp/client", `{"name":"kept","connection_type":"stdio","stdio_config":`+stdio(bin, "-pidfile", second)+`}`); status != 200 {
				t.Fatalf("create: %d %s", status, body)
			}
			pid = mcptest.PIDFromFile(second)
			s.Close()
			if !waitEnded(pid) {
				t.Errorf("the process %d outlived the server", pid)
			}
		})
	}
}
