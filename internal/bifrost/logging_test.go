package bifrost

import (
	"strings"
	"testing"
)

func TestRedactBodyMasksSecretsAndKeepsReferences(t *testing.T) {
	body := `{"name":"k","value":"sk-secret-0123456789abcdef","models":["*"],` +
		`"azure_key_config":{"endpoint":"env.AZURE_ENDPOINT","client_secret":"azure-client-secret-0123"},` +
		`"proxy_config":{"password":"proxy-password-0123"}}`
	got := redactBody([]byte(body), []string{"echoed-secret-0123456789"})
	for _, secret := range []string{"sk-secret-0123456789abcdef", "azure-client-secret-0123", "proxy-password-0123"} {
		if strings.Contains(got, secret) {
			t.Errorf("log line holds %q: %s", secret, got)
		}
	}
	for _, kept := range []string{`"name":"k"`, `"env.AZURE_ENDPOINT"`, Mask("sk-secret-0123456789abcdef")} {
		if !strings.Contains(got, kept) {
			t.Errorf("log line lost %s: %s", kept, got)
		}
	}
	if got := redactBody([]byte("not json echoed-secret-0123456789"), []string{"echoed-secret-0123456789"}); strings.Contains(got, "echoed-secret-0123456789") {
		t.Errorf("non-JSON body kept a known secret: %s", got)
	}
}

// A plugin's config holds its secrets under names of its own choosing: no
// string of it reaches a log line, whatever the name.
func TestRedactBodyMasksPluginConfig(t *testing.T) {
	body := `{"name":"webhook","enabled":true,"config":{"endpoint_secret":"whsec-0123456789abcdef","nested":{"sig":"sig-0123456789"},"retries":3}}`
	got := redactBody([]byte(body), nil)
	for _, secret := range []string{"whsec-0123456789abcdef", "sig-0123456789"} {
		if strings.Contains(got, secret) {
			t.Errorf("log line holds %q: %s", secret, got)
		}
	}
	if !strings.Contains(got, `"name":"webhook"`) || !strings.Contains(got, `"retries":3`) {
		t.Errorf("log line lost plain fields: %s", got)
	}
}
