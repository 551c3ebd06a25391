package bifrostprovider_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// TestAccProvider_adoptGeneratedConfig adopts a provider made outside
// Terraform, with a proxy password and a CA certificate, through import
// blocks and `terraform plan -generate-config-out`: the generated file
// applies as written (an import, no write), the password stays Bifrost's
// (a warning says so; it is not in state), the next plan is empty, and a
// change that would have to send the password or the certificate back is
// refused at plan time.
func TestAccProvider_adoptGeneratedConfig(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	cli := acctest.NewCLI(t)
	name := acctest.Name("adopt")
	const password = "proxy-password-0123456789"
	const pem = "-----BEGIN CERTIFICATE-----\nMIIBadoptTest0123456789\n-----END CERTIFICATE-----"
	lit := func(s string) *bifrost.SecretVar { v := bifrost.Literal(s); return &v }
	_, err := tg.Client.CreateProvider(acctest.Ctx(t), bifrost.Provider{
		Name:                 name,
		CustomProviderConfig: &bifrost.CustomProviderConfig{BaseProviderType: "openai"},
		NetworkConfig: &bifrost.NetworkConfig{
			BaseURL: "http://127.0.0.1:1", DefaultRequestTimeoutInSeconds: 30, MaxRetries: 1,
			RetryBackoffInitial: 500, RetryBackoffMax: 5000, CACertPEM: lit(pem),
		},
		ProxyConfig: &bifrost.ProxyConfig{Type: "http", URL: lit("http://proxy.localhost:3128"), Username: lit("user"), Password: lit(password)},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tg.Client.DeleteProvider(acctest.Ctx(t), name) })
	cli.Write("main.tf", tg.ProviderConfig()+fmt.Sprintf("\nimport {\n  to = bifrost_provider.adopted\n  id = %q\n}\n", name))
	cli.Run("init")
	cli.Run("plan", "-generate-config-out=generated.tf")
	generated := cli.Read("generated.tf")
	if !strings.Contains(generated, "null # sensitive") {
		t.Errorf("the password is not generated as null:\n%s", generated)
	}
	if tg.Emulator != nil {
		tg.Emulator.ResetRequests()
	}
	out := cli.Run("apply", "-auto-approve")
	if !strings.Contains(out, "1 imported, 0 added, 0 changed, 0 destroyed") || !acctest.Spaced("Secret not managed by Terraform").MatchString(out) {
		t.Errorf("apply of the generated configuration: want one import and the warning that the password is Bifrost's:\n%s", out)
	}
	if tg.Emulator != nil {
		if n := tg.Emulator.LockStats().Writes; n != 0 {
			t.Errorf("adoption wrote to Bifrost %d times, want none", n)
		}
	}
	if out, code := cli.Exit("plan", "-detailed-exitcode"); code != 0 {
		t.Errorf("plan after adoption: exit %d, want 0 (no changes):\n%s", code, out)
	}
	if err := acctest.NoSecretIn(cli.Read("terraform.tfstate"), password, pem); err != nil {
		t.Error(err)
	}

	cli.Write("generated.tf", regexp.MustCompile(`max_retries(\s*)=\s*1\b`).ReplaceAllString(generated, "max_retries${1}= 2"))
	out, code := cli.Exit("plan")
	if code == 0 || !acctest.Spaced("Secret known only by its mask").MatchString(out) ||
		!strings.Contains(out, "proxy_config.password") || !strings.Contains(out, "network_config.ca_cert_pem") {
		t.Errorf("a change of the adopted provider: exit %d, want the password and the certificate asked for:\n%s", code, out)
	}
	if err := acctest.NoSecretIn(out, password, pem); err != nil {
		t.Error(err)
	}
	cli.Write("generated.tf", generated)
	cli.Run("destroy", "-auto-approve")
	if _, err := tg.Client.GetProvider(acctest.Ctx(t), name); !bifrost.IsNotFound(err) {
		t.Errorf("provider %s after destroy: %v, want not found", name, err)
	}
}
