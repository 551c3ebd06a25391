// Package acctest is the harness of the acceptance tests: it runs them
// against the Bifrost emulator by default, or against a real Bifrost when
// BIFROST_ENDPOINT is set, and gives tests the provider and an out-of-band
// client.
package acctest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
	"github.com/maximhq/terraform-provider-bifrost/internal/provider"
)

// TestEnvVar and TestEnvValue are set in the emulator's environment, for
// env.NAME references. A real server must have them set to run those tests.
const (
	TestEnvVar    = "BIFROST_TEST_OPENAI_KEY"
	TestEnvValue  = "sk-env-abcdefghijklmnopqrstuvwxyz0123"
	TestEnvVar2   = "BIFROST_TEST_OPENAI_KEY_2"
	TestEnvValue2 = "sk-env2-zyxwvutsrqponmlkjihgfedcba98"
)

// EnvEmulatorVersion selects the Bifrost version the emulator behaves as
// (default v1.5.1; e.g. v2.2.6).
const EnvEmulatorVersion = "BIFROST_EMULATOR_VERSION"

// ProviderFactories serves the provider in-process to the Terraform CLI, as
// the provider binary serves it.
var ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"bifrost": provider.NewServer("test"),
}

// Target is the Bifrost server a test runs against.
type Target struct {
	// Endpoint is the server's base URL.
	Endpoint string
	// Emulator is the in-process emulator, nil against a real server.
	Emulator *emulator.Server
	// Client talks to the server out of band (as another user would).
	Client *bifrost.Client

	opts emulator.Options
}

// Real reports whether BIFROST_ENDPOINT points the tests at a real server.
func Real() bool { return os.Getenv(provider.EnvEndpoint) != "" }

// New returns the target of a test: a fresh emulator started with opts
// (stopped at the end of the test), or the real server of BIFROST_ENDPOINT.
// It skips unless TF_ACC is set.
func New(t *testing.T, opts emulator.Options) *Target {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	if Real() {
		c, err := bifrost.New(bifrost.Config{
			Endpoint: os.Getenv(provider.EnvEndpoint), Username: os.Getenv(provider.EnvUsername),
			Password: os.Getenv(provider.EnvPassword), Token: os.Getenv(provider.EnvToken),
			SetupToken: os.Getenv(provider.EnvSetupToken), MaxRetries: 5,
		})
		if err != nil {
			t.Fatal(err)
		}
		return &Target{Endpoint: c.Endpoint(), Client: c}
	}
	if opts.Env == nil {
		opts.Env = map[string]string{TestEnvVar: TestEnvValue, TestEnvVar2: TestEnvValue2}
	}
	if opts.Version == "" {
		opts.Version = os.Getenv(EnvEmulatorVersion)
	}
	if strings.HasPrefix(opts.Version, "v2.") && opts.Username == "" && opts.SetupToken == "" {
		// Bifrost ≥ 2.2.6 without dashboard auth locks its API behind a
		// setup token.
		opts.SetupToken = "acc-setup-token-0123456789"
	}
	srv, err := emulator.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	c, err := bifrost.New(bifrost.Config{Endpoint: srv.URL(), Username: opts.Username, Password: opts.Password, SetupToken: opts.SetupToken})
	if err != nil {
		t.Fatal(err)
	}
	return &Target{Endpoint: srv.URL(), Emulator: srv, Client: c, opts: opts}
}

// NeedEmulator skips a test that needs the emulator's hooks when running
// against a real server.
func (tg *Target) NeedEmulator(t *testing.T) *emulator.Server {
	t.Helper()
	if tg.Emulator == nil {
		t.Skip("needs the emulator's fault injection or state inspection")
	}
	return tg.Emulator
}

// Version is the target server's version (asked once per target), for
// expectations that differ between Bifrost versions.
func (tg *Target) Version(t *testing.T) bifrost.ServerVersion {
	t.Helper()
	v, err := tg.Client.ServerVersion(Ctx(t))
	if err != nil {
		t.Fatalf("server version: %v", err)
	}
	return v
}

// ProviderConfig is the provider block for the target. Against a real server
// the credentials come from the environment.
func (tg *Target) ProviderConfig() string {
	if tg.Emulator == nil {
		return "provider \"bifrost\" {}\n"
	}
	cfg := fmt.Sprintf("provider \"bifrost\" {\n  endpoint = %q\n", tg.Endpoint)
	if o := tg.opts; o.Username != "" {
		cfg += fmt.Sprintf("  username = %q\n  password = %q\n", o.Username, o.Password)
	} else if o.SetupToken != "" {
		cfg += fmt.Sprintf("  setup_token = %q\n", o.SetupToken)
	}
	return cfg + "}\n"
}

// EnsureProviders creates the Bifrost providers a test needs (an existing
// one is fine).
func (tg *Target) EnsureProviders(t *testing.T, names ...string) {
	t.Helper()
	for _, name := range names {
		_, err := tg.Client.CreateProvider(context.Background(), bifrost.Provider{Name: name})
		var apiErr *bifrost.APIError
		if err != nil && !(errors.As(err, &apiErr) && apiErr.StatusCode == 409) {
			t.Fatalf("creating provider %s: %v", name, err)
		}
	}
}

// Name returns a key name unique to this run, so tests can share a real server.
func Name(prefix string) string {
	return acctest.RandomWithPrefix("tf-acc-" + prefix)
}

// CheckKeysDestroyed fails when any bifrost_provider_key of the state still
// exists on the server.
func (tg *Target) CheckKeysDestroyed(s *terraform.State) error {
	for _, rs := range s.RootModule().Resources {
		if rs.Type != "bifrost_provider_key" {
			continue
		}
		_, err := tg.Client.GetKey(context.Background(), rs.Primary.Attributes["provider_name"], rs.Primary.ID)
		if err == nil {
			return fmt.Errorf("key %s/%s still exists", rs.Primary.Attributes["provider_name"], rs.Primary.ID)
		}
		if !bifrost.IsNotFound(err) {
			return err
		}
	}
	return nil
}

// KeyID returns the id of a resource in the state.
func KeyID(s *terraform.State, addr string) (provider, id string, err error) {
	rs, ok := s.RootModule().Resources[addr]
	if !ok {
		return "", "", fmt.Errorf("%s not in state", addr)
	}
	return rs.Primary.Attributes["provider_name"], rs.Primary.ID, nil
}

// ImportID is an ImportStateIdFunc giving "<provider>/<id>" for addr.
func ImportID(addr string) func(*terraform.State) (string, error) {
	return func(s *terraform.State) (string, error) {
		p, id, err := KeyID(s, addr)
		return p + "/" + id, err
	}
}

// Ctx is a context for out-of-band calls in tests.
func Ctx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// NoSecretIn fails when any of the secrets appears in text.
func NoSecretIn(text string, secrets ...string) error {
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			return fmt.Errorf("secret %s found", bifrost.Mask(s))
		}
	}
	return nil
}

// Raw sends a request with the target's credentials and returns the status
// and body, for tests that need the exact JSON on the wire.
func (tg *Target) Raw(t *testing.T, method, path, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, tg.Endpoint+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if tg.opts.SetupToken != "" {
		req.Header.Set("X-Bifrost-Setup-Token", tg.opts.SetupToken)
	}
	if tg.opts.Username != "" {
		req.SetBasicAuth(tg.opts.Username, tg.opts.Password)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}
