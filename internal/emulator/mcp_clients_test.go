package emulator

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestMCPClientHook covers MCP clients put in with AddMCPClient: virtual
// keys' mcp_configs by name (create, update by id, the idx_vk_mcpclient
// clash, unknown names), the list, update and DELETE of a stored client.
func TestMCPClientHook(t *testing.T) {
	for _, version := range []string{"v1.5.1", "v2.2.6"} {
		t.Run(version, func(t *testing.T) {
			s, call := versioned(t, version, Options{})
			id := s.AddMCPClient("tools")
			if again := s.AddMCPClient("tools"); again != id {
				t.Errorf("AddMCPClient twice: %s, then %s", id, again)
			}
			status, body := call("POST", "/api/governance/virtual-keys", `{"name":"vk","mcp_configs":[{"mcp_client_name":"tools","tools_to_execute":["search"]}]}`)
			if status != 200 {
				t.Fatalf("create: %d %s", status, body)
			}
			var created struct {
				VK struct {
					ID         string `json:"id"`
					MCPConfigs []struct {
						ID          uint     `json:"id"`
						VKID        string   `json:"virtual_key_id"`
						MCPClientID uint     `json:"mcp_client_id"`
						Tools       []string `json:"tools_to_execute"`
						MCPClient   struct {
							ClientID string `json:"client_id"`
							Name     string `json:"name"`
						} `json:"mcp_client"`
					} `json:"mcp_configs"`
				} `json:"virtual_key"`
			}
			if err := json.Unmarshal([]byte(body), &created); err != nil {
				t.Fatal(err)
			}
			vk := created.VK
			if len(vk.MCPConfigs) != 1 || vk.MCPConfigs[0].MCPClient.Name != "tools" || vk.MCPConfigs[0].MCPClient.ClientID != id ||
				vk.MCPConfigs[0].MCPClientID != 1 || vk.MCPConfigs[0].VKID != vk.ID || strings.Join(vk.MCPConfigs[0].Tools, ",") != "search" {
				t.Fatalf("create mcp_configs: %s", body)
			}
			cfg := vk.MCPConfigs[0].ID
			path := "/api/governance/virtual-keys/" + vk.ID
			// With the id only the tools change (the name is ignored).
			status, body = call("PUT", path, `{"mcp_configs":[{"id":`+itoa(cfg)+`,"mcp_client_name":"other","tools_to_execute":["*"]}]}`)
			if status != 200 || !strings.Contains(body, `"mcp_configs":[{"id":`+itoa(cfg)+`,`) || !strings.Contains(body, `"name":"tools"`) ||
				!strings.Contains(body, `"tools_to_execute":["*"]}]`) {
				t.Errorf("update by id: %d %s", status, body)
			}
			// Without the id: creates run before deletes, so the client is
			// assigned twice (guessed wording).
			status, body = call("PUT", path, `{"mcp_configs":[{"mcp_client_name":"tools","tools_to_execute":["*"]}]}`)
			if status != 400 || !strings.Contains(body, "already exists") {
				t.Errorf("re-create without id: %d %s", status, body)
			}
			status, body = call("PUT", path, `{"mcp_configs":[{"mcp_client_name":"nope"}]}`)
			if status != 500 || !strings.Contains(body, `"Failed to update virtual key: failed to get MCP client: not found"`) {
				t.Errorf("unknown client: %d %s", status, body)
			}
			status, body = call("GET", "/api/mcp/clients", "")
			if status != 200 || !strings.Contains(body, `"client_id":"`+id+`","name":"tools"`) || !strings.Contains(body, `"state":"connected"`) ||
				!strings.Contains(body, `"vk_configs":[{"virtual_key_id":"`+vk.ID+`","virtual_key_name":"vk","tools_to_execute":["*"]}]`) ||
				!strings.Contains(body, `"count":1`) {
				t.Errorf("list: %d %s", status, body)
			}
			status, body = call("PUT", "/api/mcp/client/"+id, `{"name":"tools","tools_to_execute":["a"]}`)
			if status != 200 || body != `{"message":"MCP client edited successfully","status":"success"}`+"\n" {
				t.Errorf("update client: %d %s", status, body)
			}
			status, body = call("DELETE", "/api/mcp/client/"+id, "")
			if status != 200 || body != `{"message":"MCP client removed successfully","status":"success"}`+"\n" {
				t.Errorf("delete: %d %s", status, body)
			}
			if status, body = call("GET", path, ""); status != 200 || !strings.Contains(body, `"mcp_configs":[]`) {
				t.Errorf("VK after client delete: %d %s", status, body)
			}
			status, body = call("DELETE", "/api/mcp/client/"+id, "")
			if status != 500 || !strings.Contains(body, "failed to delete MCP config: MCP client with id '"+id+"' not found") {
				t.Errorf("second delete: %d %s", status, body)
			}
			if status, body = call("GET", "/api/mcp/clients", ""); body != `{"clients":[],"count":0,"limit":0,"offset":0,"total_count":0}`+"\n" {
				t.Errorf("empty list: %d %s", status, body)
			}
			s.AddMCPClient("again")
			status, _ = call("POST", "/api/governance/virtual-keys", `{"name":"vk2","mcp_configs":[{"mcp_client_name":"again"}]}`)
			if status != 200 || !s.RemoveMCPClient("again") || s.RemoveMCPClient("again") {
				t.Errorf("RemoveMCPClient: create %d", status)
			}
		})
	}
}

func itoa(n uint) string { b, _ := json.Marshal(n); return string(b) }
