package bifrostprovider_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

const addr = "bifrost_provider.test"

// readOnly are the attributes Bifrost may recompute on any write; an update
// plan shows them as unknown by design.
var readOnly = []string{"provider_status", "status", "description", "config_hash"}

func providerConfig(tg *acctest.Target, name, body string) string {
	return tg.ProviderConfig() + fmt.Sprintf(`
resource "bifrost_provider" "test" {
  name = %q
%s
}
`, name, body)
}

// customBody makes the provider a custom one on openai, so that tests can use
// names of their own and share a real server.
const customBody = `
  custom_provider_config = {
    base_provider_type = "openai"
  }`

// checkDestroyed fails when a bifrost_provider of the state still exists.
func checkDestroyed(tg *acctest.Target) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for _, rs := range s.RootModule().Resources {
			if rs.Type != "bifrost_provider" {
				continue
			}
			name := rs.Primary.Attributes["name"]
			if _, err := tg.Client.GetProvider(context.Background(), name); !bifrost.IsNotFound(err) {
				return fmt.Errorf("provider %s: expected 404 after destroy, got %v", name, err)
			}
		}
		return nil
	}
}

// checkServer checks the provider as Bifrost reports it.
func checkServer(tg *acctest.Target, name string, check func(p *bifrost.Provider) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		p, err := tg.Client.GetProvider(context.Background(), name)
		if err != nil {
			return err
		}
		return check(p)
	}
}

// changeOutOfBand changes the provider as another user of Bifrost would.
func changeOutOfBand(t *testing.T, tg *acctest.Target, name string, change func(p *bifrost.Provider)) {
	t.Helper()
	p, err := tg.Client.GetProvider(acctest.Ctx(t), name)
	if err != nil {
		t.Fatalf("reading provider %s: %v", name, err)
	}
	change(p)
	if _, err := tg.Client.UpdateProvider(acctest.Ctx(t), *p); err != nil {
		t.Fatalf("changing provider %s out of band: %v", name, err)
	}
}

// TestAccProvider_lifecycle: create with only a base URL (Bifrost's
// defaults are sent and shown), update every field, import, drift of single
// fields made outside Terraform, destroy.
func TestAccProvider_lifecycle(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	name := acctest.Name("prov")
	minimal := providerConfig(tg, name, customBody+`
  network_config = {
    base_url = "http://127.0.0.1:1"
  }`)
	full := providerConfig(tg, name, `
  network_config = {
    base_url                           = "http://localhost:8443/v1"
    extra_headers                      = { "x-team" = "ml", "x-env" = "test" }
    default_request_timeout_in_seconds = 45
    max_retries                        = 3
    retry_backoff_initial              = 250
    retry_backoff_max                  = 8000
    stream_idle_timeout_in_seconds     = 90
    max_conns_per_host                 = 200
    insecure_skip_verify               = true
    ca_cert_pem                        = "-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----"
  }
  concurrency_and_buffer_size = {
    concurrency = 10
    buffer_size = 100
  }
  proxy_config = {
    type     = "http"
    url      = "http://proxy.internal:3128"
    username = "bifrost"
    password = "proxy-password-0123456789"
  }
  send_back_raw_request      = true
  send_back_raw_response     = true
  store_raw_request_response = true
  custom_provider_config = {
    base_provider_type     = "openai"
    allowed_requests       = ["chat_completion", "chat_completion_stream", "list_models"]
    request_path_overrides = { chat_completion = "/v2/chat/completions" }
  }
  openai_config = {
    disable_store = true
  }`)
	nc := func(attr string) tfjsonpath.Path { return tfjsonpath.New("network_config").AtMapKey(attr) }
	def := versionDefaults(t, tg)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkDestroyed(tg),
		Steps: []resource.TestStep{
			{
				Config: minimal,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
						// Defaults are known at plan time, not "known after apply",
						// the version-dependent ones included.
						plancheck.ExpectKnownValue(addr, nc("retry_backoff_initial"), knownvalue.Int64Exact(500)),
						plancheck.ExpectKnownValue(addr, nc("default_request_timeout_in_seconds"), def.timeout),
						plancheck.ExpectKnownValue(addr, nc("keep_alive_timeout_in_seconds"), def.keepAlive),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("network_config"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"base_url":                           knownvalue.StringExact("http://127.0.0.1:1"),
						"extra_headers":                      knownvalue.Null(),
						"default_request_timeout_in_seconds": def.timeout,
						"max_retries":                        knownvalue.Int64Exact(0),
						"retry_backoff_initial":              knownvalue.Int64Exact(500),
						"retry_backoff_max":                  knownvalue.Int64Exact(5000),
						"stream_idle_timeout_in_seconds":     def.streamIdle,
						"keep_alive_timeout_in_seconds":      def.keepAlive,
						"max_conns_per_host":                 knownvalue.Int64Exact(5000),
						"insecure_skip_verify":               knownvalue.Bool(false),
						"ca_cert_pem":                        knownvalue.Null(),
					})),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("concurrency_and_buffer_size"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"concurrency": knownvalue.Int64Exact(1000),
						"buffer_size": knownvalue.Int64Exact(5000),
					})),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("custom_provider_config").AtMapKey("is_key_less"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("custom_provider_config").AtMapKey("allowed_requests"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("proxy_config"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("openai_config"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("send_back_raw_request"), knownvalue.Bool(false)),
					// What Bifrost computes from the outside world (it lists the
					// upstream's models) is only reported, not asserted.
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("provider_status"), knownvalue.NotNull()),
				},
				// Sent explicitly: Bifrost stores the defaults, not the zeros
				// it would store for a network_config with only a base URL.
				Check: checkServer(tg, name, func(p *bifrost.Provider) error {
					if n := p.NetworkConfig; n.DefaultRequestTimeoutInSeconds != def.timeoutSeconds || n.RetryBackoffMax != 5000 || n.MaxConnsPerHost != 5000 {
						return fmt.Errorf("server network_config %+v", *n)
					}
					return nil
				}),
			},
			{
				Config: full,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, nc("extra_headers").AtMapKey("x-team"), knownvalue.StringExact("ml")),
					statecheck.ExpectKnownValue(addr, nc("retry_backoff_max"), knownvalue.Int64Exact(8000)),
					statecheck.ExpectKnownValue(addr, nc("insecure_skip_verify"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("proxy_config").AtMapKey("password"), knownvalue.StringExact("proxy-password-0123456789")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("custom_provider_config").AtMapKey("allowed_requests"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.StringExact("chat_completion"), knownvalue.StringExact("chat_completion_stream"), knownvalue.StringExact("list_models"),
					})),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("openai_config").AtMapKey("disable_store"), knownvalue.Bool(true)),
				},
				Check: checkServer(tg, name, func(p *bifrost.Provider) error {
					switch {
					case p.ConcurrencyAndBufferSize.Concurrency != 10 || p.ConcurrencyAndBufferSize.BufferSize != 100:
						return fmt.Errorf("server concurrency %+v", *p.ConcurrencyAndBufferSize)
					case p.NetworkConfig.MaxRetries != 3 || p.NetworkConfig.ExtraHeaders["x-env"] != "test":
						return fmt.Errorf("server network_config %+v", *p.NetworkConfig)
					case p.ProxyConfig == nil || p.ProxyConfig.Type != "http" || (p.ProxyConfig.URL.Input() != "http://proxy.internal:3128" && p.ProxyConfig.URL.Input() != bifrost.Mask("http://proxy.internal:3128")):
						return fmt.Errorf("server proxy_config %+v", p.ProxyConfig)
					case !p.CustomProviderConfig.AllowedRequests["list_models"] || p.CustomProviderConfig.AllowedRequests["embedding"]:
						return fmt.Errorf("server allowed_requests %v", p.CustomProviderConfig.AllowedRequests)
					case !p.StoreRawRequestResponse || p.OpenAIConfig == nil || !p.OpenAIConfig.DisableStore:
						return fmt.Errorf("server provider %+v", *p)
					}
					return nil
				}),
			},
			{
				ResourceName:                         addr,
				ImportState:                          true,
				ImportStateId:                        name,
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "name",
				// Model discovery rewrites status and description on reads;
				// Bifrost returns the proxy's secrets (and, from v2, its URL
				// and username) redacted, and network_config.ca_cert_pem
				// masked (4 + 24 '*' + 4), so an import cannot read them.
				ImportStateVerifyIgnore: []string{"status", "description", "proxy_config", "network_config.ca_cert_pem"},
			},
			{
				PreConfig: func() { changeOutOfBand(t, tg, name, func(p *bifrost.Provider) { p.NetworkConfig.MaxRetries = 7 }) },
				Config:    full,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{acctest.ExpectChangedLeaves(addr, readOnly, "network_config.max_retries")},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: checkServer(tg, name, func(p *bifrost.Provider) error {
					if p.NetworkConfig.MaxRetries != 3 {
						return fmt.Errorf("max_retries on the server is %d after apply, want 3", p.NetworkConfig.MaxRetries)
					}
					return nil
				}),
			},
			{
				PreConfig: func() {
					changeOutOfBand(t, tg, name, func(p *bifrost.Provider) { p.ConcurrencyAndBufferSize.Concurrency = 50 })
				},
				Config: full,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{acctest.ExpectChangedLeaves(addr, readOnly, "concurrency_and_buffer_size.concurrency")},
				},
			},
			{
				PreConfig: func() {
					changeOutOfBand(t, tg, name, func(p *bifrost.Provider) { p.CustomProviderConfig.AllowedRequests["embedding"] = true })
				},
				Config: full,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{acctest.ExpectChangedLeaves(addr, readOnly, "custom_provider_config.allowed_requests")},
				},
			},
			{
				PreConfig: func() {
					changeOutOfBand(t, tg, name, func(p *bifrost.Provider) { p.ProxyConfig = nil; p.SendBackRawResponse = false })
				},
				Config: full,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{acctest.ExpectChangedLeaves(addr, readOnly, "proxy_config", "send_back_raw_response")},
				},
			},
			// Back to the minimal configuration: every block returns to
			// Bifrost's defaults or is removed.
			{
				Config: minimal,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: checkServer(tg, name, func(p *bifrost.Provider) error {
					if p.ProxyConfig != nil || p.OpenAIConfig != nil || p.CustomProviderConfig.AllowedRequests != nil ||
						p.ConcurrencyAndBufferSize.Concurrency != 1000 || p.NetworkConfig.ExtraHeaders != nil {
						return fmt.Errorf("server provider %+v", *p)
					}
					return nil
				}),
			},
		},
	})
}

// TestAccProvider_caCertificate: network_config.ca_cert_pem, which Bifrost
// answers masked on every read like a key's secret (a literal as its first 4
// characters, 24 '*' and its last 4; a reference as itself):
//   - applied, the configured certificate stays in state and the plan is
//     empty, although the server never shows it;
//   - changed outside Terraform to a certificate with the same first and last
//     4 characters, the change cannot be seen: the server's answer is the
//     same mask, so the plan stays empty (a limit of what Bifrost shows, not
//     a choice). PEM certificates all start with "----" and usually end with
//     "----" (or "---\n"), so most rotations of a PEM literal go unnoticed;
//     an env reference (env.NAME) makes them visible at the source instead;
//   - changed to one whose first or last 4 characters differ, the mask
//     differs and the plan puts the configured certificate back;
//   - imported, the certificate cannot be recovered (only its mask can), so
//     ImportStateVerify ignores exactly network_config.ca_cert_pem; a
//     reference comes back as itself and verifies.
func TestAccProvider_caCertificate(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	name := acctest.Name("ca")
	const pem = "-----BEGIN CERTIFICATE-----\nMIIBcaTest0123456789\n-----END CERTIFICATE-----"
	cfg := func(ca string) string {
		return providerConfig(tg, name, customBody+fmt.Sprintf(`
  network_config = {
    base_url    = "http://127.0.0.1:1"
    ca_cert_pem = %q
  }`, ca))
	}
	ca := tfjsonpath.New("network_config").AtMapKey("ca_cert_pem")
	// serverHolds checks what the server answers for the certificate and,
	// on the emulator, what it stores.
	serverHolds := func(stored string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			p, err := tg.Client.GetProvider(context.Background(), name)
			if err != nil {
				return err
			}
			want := bifrost.Mask(stored)
			if bifrost.IsReference(stored) {
				want = stored
			}
			if got := p.NetworkConfig.CACertPEM; got == nil || got.Input() != want {
				return fmt.Errorf("server answers ca_cert_pem %+v, want %q", got, want)
			}
			if tg.Emulator != nil {
				if got, _ := tg.Emulator.CACert(name); got != stored {
					return fmt.Errorf("server stores ca_cert_pem %q, want %q", got, stored)
				}
			}
			return nil
		}
	}
	// changeCA replaces the certificate as another user of Bifrost would, and
	// checks that the server took it.
	changeCA := func(to string) func() {
		return func() {
			changeOutOfBand(t, tg, name, func(p *bifrost.Provider) { p.NetworkConfig.CACertPEM = &bifrost.SecretVar{Value: to} })
			if err := serverHolds(to)(nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	sameEnds := strings.Replace(pem, "MIIBcaTest", "MIIBrotated", 1)
	otherEnd := pem + "\n"
	verifyImport := func(ignore ...string) resource.TestStep {
		return resource.TestStep{
			ResourceName:                         addr,
			ImportState:                          true,
			ImportStateId:                        name,
			ImportStateVerify:                    true,
			ImportStateVerifyIdentifierAttribute: "name",
			// Model discovery rewrites status and description on reads.
			ImportStateVerifyIgnore: append([]string{"status", "description"}, ignore...),
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkDestroyed(tg),
		Steps: []resource.TestStep{
			{
				Config: cfg(pem),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(addr, ca, knownvalue.StringExact(pem))},
				Check:             serverHolds(pem),
			},
			// Same first and last 4 characters: the same mask, no drift seen.
			{
				PreConfig:         changeCA(sameEnds),
				Config:            cfg(pem),
				PlanOnly:          true,
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(addr, ca, knownvalue.StringExact(pem))},
			},
			// A different last 4 characters: drift, and the apply restores
			// the configured certificate.
			{
				PreConfig: changeCA(otherEnd),
				Config:    cfg(pem),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{acctest.ExpectChangedLeaves(addr, readOnly, "network_config.ca_cert_pem")},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(addr, ca, knownvalue.StringExact(pem))},
				Check:             serverHolds(pem),
			},
			// The certificate itself cannot be recovered by an import, only
			// its mask: that attribute alone is not verified.
			verifyImport("network_config.ca_cert_pem"),
			// A reference is not secret: Bifrost answers it as itself, so an
			// import recovers it and everything verifies.
			{
				Config: cfg("env." + acctest.TestEnvVar),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{acctest.ExpectChangedLeaves(addr, readOnly, "network_config.ca_cert_pem")},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: serverHolds("env." + acctest.TestEnvVar),
			},
			verifyImport(),
		},
	})
}

// serverDefaults are the network_config defaults that depend on the
// server's version.
type serverDefaults struct {
	timeoutSeconds                 int64
	timeout, streamIdle, keepAlive knownvalue.Check
}

func versionDefaults(t *testing.T, tg *acctest.Target) serverDefaults {
	if tg.Version(t).AtLeast(2, 0) {
		return serverDefaults{300, knownvalue.Int64Exact(300), knownvalue.Int64Exact(120), knownvalue.Int64Exact(30)}
	}
	return serverDefaults{30, knownvalue.Int64Exact(30), knownvalue.Int64Exact(60), knownvalue.Null()}
}

// TestAccProvider_importDefaults imports a provider created outside
// Terraform with Bifrost's defaults into a configuration that sets nothing:
// the plan must be empty.
func TestAccProvider_importDefaults(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	name := acctest.Name("imp")
	if _, err := tg.Client.CreateProvider(acctest.Ctx(t), bifrost.Provider{Name: name}); err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkDestroyed(tg),
		Steps: []resource.TestStep{
			{
				Config: providerConfig(tg, name, "") + fmt.Sprintf(`
import {
  to = bifrost_provider.test
  id = %q
}
`, name),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop)},
				},
			},
			{
				ResourceName:  addr,
				ImportState:   true,
				ImportStateId: "not a name",
				ExpectError:   acctest.Spaced("expected the provider's name"),
			},
		},
	})
}

// TestAccProvider_versionDependentFields: a v1.5 server has no keep-alive
// timeout and would drop it, so the plan refuses it, naming the version; its
// timeouts' defaults are its own (30 and 60 s, not Bifrost 2's).
func TestAccProvider_versionDependentFields(t *testing.T) {
	tg := acctest.New(t, emulator.Options{Version: "v1.5.1"})
	srv := tg.NeedEmulator(t)
	name := acctest.Name("ka")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkDestroyed(tg),
		Steps: []resource.TestStep{
			{
				Config: providerConfig(tg, name, customBody+`
  network_config = {
    keep_alive_timeout_in_seconds = 45
  }`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Not supported by this Bifrost version.*keep_alive_timeout_in_seconds needs\s+Bifrost ≥ 2.0.*v1.5.1`),
			},
			{
				PreConfig: func() {
					if n := srv.Count(http.MethodPost, "/api/"); n != 0 {
						t.Errorf("%d writes reached the server", n)
					}
				},
				Config: providerConfig(tg, name, customBody),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("network_config").AtMapKey("default_request_timeout_in_seconds"), knownvalue.Int64Exact(30)),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("network_config").AtMapKey("stream_idle_timeout_in_seconds"), knownvalue.Int64Exact(60)),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("network_config").AtMapKey("keep_alive_timeout_in_seconds"), knownvalue.Null()),
					},
				},
			},
		},
	})
}

// TestAccProvider_alreadyExists expects the import command when the
// provider exists outside Terraform.
func TestAccProvider_alreadyExists(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	name := acctest.Name("dup")
	if _, err := tg.Client.CreateProvider(acctest.Ctx(t), bifrost.Provider{Name: name}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tg.Client.DeleteProvider(context.Background(), name) })
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      providerConfig(tg, name, ""),
			ExpectError: regexp.MustCompile(`(?s)Provider already exists.*terraform import <resource address>\s+` + regexp.QuoteMeta(name) + `.*HTTP 409`),
		}},
	})
}

// TestAccProvider_keylessRejectsKey: a keyless custom provider, and a key
// for it in the same configuration, which Bifrost refuses.
func TestAccProvider_keylessRejectsKey(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	name := acctest.Name("keyless")
	cfg := providerConfig(tg, name, `
  network_config = {
    base_url = "http://127.0.0.1:1"
  }
  custom_provider_config = {
    base_provider_type = "openai"
    is_key_less        = true
  }`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkDestroyed(tg),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("custom_provider_config").AtMapKey("is_key_less"), knownvalue.Bool(true)),
				},
			},
			{
				Config: cfg + fmt.Sprintf(`
resource "bifrost_provider_key" "test" {
  provider_name = bifrost_provider.test.name
  name          = %q
  value         = "sk-keyless-0123456789abcdefghij"
}
`, acctest.Name("kl")),
				ExpectError: acctest.Spaced("Cannot add keys to a keyless provider"),
			},
		},
	})
}

// TestAccProvider_deletedOutOfBand: the plan creates the provider again,
// and destroying one that is gone succeeds.
func TestAccProvider_deletedOutOfBand(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	name := acctest.Name("gone")
	cfg := providerConfig(tg, name, customBody)
	deleteIt := func() {
		if err := tg.Client.DeleteProvider(acctest.Ctx(t), name); err != nil {
			t.Fatal(err)
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkDestroyed(tg),
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: deleteIt,
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
				},
			},
			{PreConfig: deleteIt, Config: cfg, Destroy: true},
		},
	})
}

// TestAccProvider_withKey: a provider and a key that references it, applied
// and destroyed in one go; the key is deleted before the provider.
func TestAccProvider_withKey(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	name := acctest.Name("withkey")
	cfg := providerConfig(tg, name, customBody) + fmt.Sprintf(`
resource "bifrost_provider_key" "test" {
  provider_name = bifrost_provider.test.name
  name          = %q
  value         = "sk-withkey-0123456789abcdefghij"
}
`, acctest.Name("wk"))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: resource.ComposeTestCheckFunc(checkDestroyed(tg), tg.CheckKeysDestroyed, func(*terraform.State) error {
			if tg.Emulator == nil {
				return nil
			}
			// Deleting the provider first would also remove the key, and
			// hide a wrong order: read it from the request log.
			var deletes []string
			for _, r := range tg.Emulator.Requests() {
				if r.Method == "DELETE" {
					deletes = append(deletes, r.Path)
				}
			}
			if len(deletes) != 2 || !strings.Contains(deletes[0], "/keys/") || deletes[1] != "/api/providers/"+name {
				return fmt.Errorf("deletes in order %v: expected the key's, then the provider's", deletes)
			}
			return nil
		}),
		Steps: []resource.TestStep{{
			Config: cfg,
			Check: func(s *terraform.State) error {
				provider, id, err := acctest.KeyID(s, "bifrost_provider_key.test")
				if err != nil {
					return err
				}
				if provider != name {
					return fmt.Errorf("key provider_name %q, want %q", provider, name)
				}
				_, err = tg.Client.GetKey(context.Background(), provider, id)
				return err
			},
		}},
	})
}

// TestAccProvider_keepsUnmodelledNetworkFields: a network_config member this
// provider does not model, set outside Terraform, survives an update.
func TestAccProvider_keepsUnmodelledNetworkFields(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	tg.NeedEmulator(t)
	name := acctest.Name("extra")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkDestroyed(tg),
		Steps: []resource.TestStep{
			{Config: providerConfig(tg, name, customBody)},
			{
				PreConfig: func() {
					changeOutOfBand(t, tg, name, func(p *bifrost.Provider) {
						p.NetworkConfig.Extra = map[string]json.RawMessage{"enforce_http2": json.RawMessage("true")}
					})
				},
				Config: providerConfig(tg, name, customBody+`
  send_back_raw_request = true`),
				Check: checkServer(tg, name, func(p *bifrost.Provider) error {
					if string(p.NetworkConfig.Extra["enforce_http2"]) != "true" || !p.SendBackRawRequest {
						return fmt.Errorf("server provider %+v, network_config %+v", *p, *p.NetworkConfig)
					}
					return nil
				}),
			},
		},
	})
}

// TestAccProvider_replace: a new base provider type, or removing
// custom_provider_config, replaces the provider (Bifrost allows neither).
func TestAccProvider_replace(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	name := acctest.Name("repl")
	replaced := resource.ConfigPlanChecks{
		PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate)},
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkDestroyed(tg),
		Steps: []resource.TestStep{
			{Config: providerConfig(tg, name, "")},
			{
				// Adding custom_provider_config is an update.
				Config: providerConfig(tg, name, customBody),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{acctest.ExpectChangedLeaves(addr, readOnly, "custom_provider_config")},
				},
			},
			{
				Config: providerConfig(tg, name, `
  custom_provider_config = {
    base_provider_type = "anthropic"
  }`),
				ConfigPlanChecks: replaced,
			},
			{Config: providerConfig(tg, name, ""), ConfigPlanChecks: replaced},
		},
	})
}

// TestAccProviderDataSource reads a provider by name.
func TestAccProviderDataSource(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	name := acctest.Name("ds")
	const ds = "data.bifrost_provider.test"
	cfg := providerConfig(tg, name, customBody+`
  network_config = {
    base_url    = "http://127.0.0.1:1"
    max_retries = 2
  }
  proxy_config = {
    type     = "socks5"
    url      = "socks5://127.0.0.1:1080"
    password = "proxy-password-0123456789"
  }`) + `
data "bifrost_provider" "test" {
  name = bifrost_provider.test.name
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkDestroyed(tg),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("network_config").AtMapKey("max_retries"), knownvalue.Int64Exact(2)),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("network_config").AtMapKey("default_request_timeout_in_seconds"), versionDefaults(t, tg).timeout),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("concurrency_and_buffer_size").AtMapKey("buffer_size"), knownvalue.Int64Exact(5000)),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("custom_provider_config").AtMapKey("base_provider_type"), knownvalue.StringExact("openai")),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("proxy_config").AtMapKey("type"), knownvalue.StringExact("socks5")),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("provider_status"), knownvalue.NotNull()),
					statecheck.CompareValuePairs(ds, tfjsonpath.New("network_config"), addr, tfjsonpath.New("network_config"), compare.ValuesSame()),
				},
			},
			{
				Config:      tg.ProviderConfig() + fmt.Sprintf("data \"bifrost_provider\" \"missing\" {\n  name = %q\n}\n", name+"-missing"),
				ExpectError: acctest.Spaced("Bifrost has no provider named"),
			},
		},
	})
}

// TestAccProvider_planTimeValidation: every rule Bifrost would answer with a
// 400 fails at plan time, naming the value and what is allowed.
func TestAccProvider_planTimeValidation(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	name := acctest.Name("val")
	for label, tc := range map[string]struct {
		name, body, want string
	}{
		"concurrency zero": {name, customBody + `
  concurrency_and_buffer_size = { concurrency = 0 }`, "concurrency is 0: it must be at least 1"},
		"buffer zero": {name, customBody + `
  concurrency_and_buffer_size = { concurrency = 1, buffer_size = 0 }`, "buffer_size is 0: it must be at least 1"},
		"concurrency above buffer": {name, customBody + `
  concurrency_and_buffer_size = { concurrency = 6000 }`, "concurrency is 6000 but buffer_size is 5000"},
		"backoff too small": {name, customBody + `
  network_config = { retry_backoff_initial = 50 }`, "retry_backoff_initial is 50 ms: it must be 0 (Bifrost's default) or between 100 and 1000000 ms"},
		"backoff negative": {name, customBody + `
  network_config = { retry_backoff_max = -1 }`, "retry_backoff_max is -1 ms"},
		"backoff too large": {name, customBody + `
  network_config = { retry_backoff_max = 2000000 }`, "retry_backoff_max is 2000000 ms"},
		"backoff initial above max": {name, customBody + `
  network_config = { retry_backoff_initial = 6000 }`, "retry_backoff_initial is 6000 ms but retry_backoff_max is 5000 ms"},
		"negative retries": {name, customBody + `
  network_config = { max_retries = -1 }`, "max_retries value must be at least 0"},
		"base url scheme": {name, customBody + `
  network_config = { base_url = "ftp://files.example.com" }`, `"ftp://files.example.com" is not a URL Bifrost can call`},
		"base url relative": {name, customBody + `
  network_config = { base_url = "llm.example.com/v1" }`, `"llm.example.com/v1" is not a URL Bifrost can call`},
		"custom named like a built-in": {"openai", customBody, `"openai" is a built-in provider type`},
		"empty base type": {name, `
  custom_provider_config = { base_provider_type = "" }`, "custom_provider_config.base_provider_type is empty"},
		"base type not built in": {name, `
  custom_provider_config = { base_provider_type = "my-other-custom" }`, `base_provider_type is "my-other-custom"; a custom provider can be based on one of anthropic, bedrock`},
		"base type that cannot be a base": {name, `
  custom_provider_config = { base_provider_type = "azure" }`, `base_provider_type is "azure"; a custom provider can be based on one of`},
		"unknown request type": {name, `
  custom_provider_config = {
    base_provider_type = "openai"
    allowed_requests   = ["chat"]
  }`, "allowed_requests"},
		"proxy without url": {name, customBody + `
  proxy_config = { type = "http" }`, `proxy_config.type is "http": set proxy_config.url`},
		"proxy type": {name, customBody + `
  proxy_config = { type = "https" }`, `value must be one of`},
		"name": {"not a name", "", "must be letters, digits"},
	} {
		t.Run(label, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      providerConfig(tg, tc.name, tc.body),
					PlanOnly:    true,
					ExpectError: acctest.Spaced(tc.want),
				}},
			})
		})
	}
}

// TestAccProvidersDataSource lists the providers with their status and
// custom settings, sorted by name.
func TestAccProvidersDataSource(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	tg.EnsureProviders(t, "openai", "anthropic")
	custom := acctest.Name("zz-custom")
	if _, err := tg.Client.CreateProvider(acctest.Ctx(t), bifrost.Provider{
		Name: custom, CustomProviderConfig: &bifrost.CustomProviderConfig{BaseProviderType: "openai", IsKeyLess: true},
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tg.Client.DeleteProvider(acctest.Ctx(t), custom) })
	const ds = "data.bifrost_providers.all"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: tg.ProviderConfig() + `data "bifrost_providers" "all" {}`,
			Check: func(s *terraform.State) error {
				attrs := s.RootModule().Resources[ds].Primary.Attributes
				var names []string
				for i := 0; attrs[fmt.Sprintf("names.%d", i)] != ""; i++ {
					names = append(names, attrs[fmt.Sprintf("names.%d", i)])
				}
				if !slices.IsSorted(names) || !slices.Contains(names, "openai") || !slices.Contains(names, "anthropic") {
					return fmt.Errorf("names %v: not sorted or missing providers", names)
				}
				i := slices.Index(names, custom)
				if i < 0 {
					return fmt.Errorf("custom provider %s missing from %v", custom, names)
				}
				entry := func(f string) string { return attrs[fmt.Sprintf("providers.%d.%s", i, f)] }
				if entry("custom") != "true" || entry("base_provider_type") != "openai" || entry("is_key_less") != "true" || entry("provider_status") == "" {
					return fmt.Errorf("custom provider entry: custom=%s base=%s keyless=%s status=%s",
						entry("custom"), entry("base_provider_type"), entry("is_key_less"), entry("provider_status"))
				}
				o := slices.Index(names, "openai")
				if attrs[fmt.Sprintf("providers.%d.custom", o)] != "false" || attrs[fmt.Sprintf("providers.%d.base_provider_type", o)] != "" {
					return fmt.Errorf("openai shown as custom")
				}
				return nil
			},
		}},
	})
}
