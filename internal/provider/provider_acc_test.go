package provider_test

import (
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

const user, pass = "admin", "testpassword123"

func keyResource(name string) string {
	return fmt.Sprintf(`
resource "bifrost_provider_key" "test" {
  provider_name = "openai"
  name          = %q
  value         = "sk-auth-abcdefghijklmnopqrstuvw"
}
`, name)
}

func applies(t *testing.T, providerBlock, name string) resource.TestStep {
	t.Helper()
	return resource.TestStep{
		Config: providerBlock + keyResource(name),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("bifrost_provider_key.test", tfjsonpath.New("name"), knownvalue.StringExact(name)),
		},
	}
}

func sessionToken(t *testing.T, endpoint string) string {
	t.Helper()
	resp, err := http.Post(endpoint+"/api/session/login", "application/json",
		strings.NewReader(fmt.Sprintf(`{"username":%q,"password":%q}`, user, pass)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "token" && c.Value != "" {
			return c.Value
		}
	}
	t.Fatalf("login answered %d without a token cookie", resp.StatusCode)
	return ""
}

// TestAccProvider_authModes configures the provider with each way Bifrost
// authenticates the management API, and with wrong credentials.
func TestAccProvider_authModes(t *testing.T) {
	tg := acctest.New(t, emulator.Options{Username: user, Password: pass, Providers: []string{"openai"}})
	srv := tg.NeedEmulator(t)
	block := func(body string) string {
		return fmt.Sprintf("provider \"bifrost\" {\n  endpoint = %q\n%s\n}\n", srv.URL(), body)
	}
	legacy := base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
	cases := []struct {
		name, body string
		wantErr    string
	}{
		{"basic", fmt.Sprintf("  username = %q\n  password = %q", user, pass), ""},
		{"bearer legacy", fmt.Sprintf("  token = %q", legacy), ""},
		{"bearer session", fmt.Sprintf("  token = %q", sessionToken(t, srv.URL())), ""},
		{"wrong password", fmt.Sprintf("  username = %q\n  password = \"wrong-password\"", user), `(?s)HTTP 401.*Unauthorized.*Check the provider's credentials`},
		{"no credentials", "", `(?s)HTTP 401.*Unauthorized`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			step := applies(t, block(c.body), acctest.Name("auth"))
			if c.wantErr != "" {
				step = resource.TestStep{Config: block(c.body) + keyResource(acctest.Name("auth")), ExpectError: regexp.MustCompile(c.wantErr)}
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				CheckDestroy:             tg.CheckKeysDestroyed,
				Steps:                    []resource.TestStep{step},
			})
		})
	}
}

// TestAccProvider_setupToken covers Bifrost 2.2.6's setup lock: the token
// is required (401 without, 403 when wrong).
func TestAccProvider_setupToken(t *testing.T) {
	tg := acctest.New(t, emulator.Options{Version: "v2.2.6", SetupToken: "setup-0123456789", Providers: []string{"openai"}})
	srv := tg.NeedEmulator(t)
	block := func(body string) string {
		return fmt.Sprintf("provider \"bifrost\" {\n  endpoint = %q\n%s\n}\n", srv.URL(), body)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             tg.CheckKeysDestroyed,
		Steps: []resource.TestStep{
			{Config: block("") + keyResource(acctest.Name("lock")), ExpectError: regexp.MustCompile(`HTTP 401`)},
			{Config: block(`  setup_token = "wrong"`) + keyResource(acctest.Name("lock")), ExpectError: regexp.MustCompile(`(?s)HTTP 403.*setup_token`)},
			applies(t, block(`  setup_token = "setup-0123456789"`), acctest.Name("lock")),
		},
	})
}

// TestAccProvider_tls serves the emulator over TLS with a self-signed
// certificate: refused by default, accepted with its CA or with
// insecure_skip_verify.
func TestAccProvider_tls(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	if tg.Emulator == nil {
		t.Skip("needs the emulator")
	}
	tlsSrv := httptest.NewTLSServer(emulator.New(emulator.Options{Providers: []string{"openai"}}))
	t.Cleanup(tlsSrv.Close)
	caPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsSrv.Certificate().Raw}))
	block := func(body string) string {
		return fmt.Sprintf("provider \"bifrost\" {\n  endpoint = %q\n%s\n}\n", tlsSrv.URL, body)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: block("") + keyResource(acctest.Name("tls")), ExpectError: regexp.MustCompile(`certificate`)},
			applies(t, block(fmt.Sprintf("  ca_cert_pem = %q", caPEM)), acctest.Name("tls-ca")),
			applies(t, block("  insecure_skip_verify = true"), acctest.Name("tls-insecure")),
		},
	})
}
