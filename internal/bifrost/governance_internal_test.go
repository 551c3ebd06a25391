package bifrost

import (
	"strings"
	"testing"
)

// A virtual key response carries the key's value and, in its MCP configs,
// the MCP client row decrypted: none of it reaches a log line.
func TestRedactBodyMasksVirtualKeySecrets(t *testing.T) {
	body := `{"message":"Virtual key created successfully","virtual_key":{"id":"v","name":"n",` +
		`"value":"sk-bf-1d8e3a1b-f3a1-452a-9ca4-454feacc4f0c",` +
		`"mcp_configs":[{"id":1,"mcp_client":{"name":"gh","connection_string":"https://user:pw-0123456789@mcp.example.com",` +
		`"headers":{"Authorization":"Bearer ghp-0123456789abcdef"}},"tools_to_execute":["*"]}],` +
		`"customer":{"virtual_keys":[{"value":"sk-bf-ffffffff-f3a1-452a-9ca4-454feacc4f0c"}]}}}`
	got := redactBody([]byte(body), nil)
	for _, secret := range []string{"1d8e3a1b-f3a1-452a-9ca4", "ffffffff-f3a1", "pw-0123456789", "ghp-0123456789abcdef"} {
		if strings.Contains(got, secret) {
			t.Errorf("log line holds %q: %s", secret, got)
		}
	}
	if !strings.Contains(got, `"name":"gh"`) || !strings.Contains(got, `"tools_to_execute":["*"]`) {
		t.Errorf("log line lost plain fields: %s", got)
	}
}
