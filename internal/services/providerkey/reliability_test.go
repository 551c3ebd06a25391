package providerkey_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// manyKeysConfig declares n keys spread over the providers.
func manyKeysConfig(tg *acctest.Target, prefix string, n int, providers []string) string {
	quoted := make([]string, len(providers))
	for i, p := range providers {
		quoted[i] = fmt.Sprintf("%q", p)
	}
	return tg.ProviderConfig() + fmt.Sprintf(`
locals {
  providers = [%s]
}

resource "bifrost_provider_key" "many" {
  count         = %d
  provider_name = local.providers[count.index %% length(local.providers)]
  name          = "%s-${count.index}"
  value         = "sk-many-0123456789abcdef-${count.index}"
  models        = ["*"]
}
`, strings.Join(quoted, ", "), n, prefix)
}

// TestAccProviderKey_concurrentUnderLocks applies and destroys 100 keys over
// 4 providers with parallelism 20 while the emulator refuses a share of the
// writes with SQLite's "database is locked", as a real Bifrost does.
func TestAccProviderKey_concurrentUnderLocks(t *testing.T) {
	t.Setenv("TF_CLI_ARGS_apply", "-parallelism=20")
	t.Setenv("TF_CLI_ARGS_destroy", "-parallelism=20")
	tg := acctest.New(t, emulator.Options{})
	srv := tg.NeedEmulator(t)
	providers := []string{"openai", "anthropic", "mistral", "groq"}
	tg.EnsureProviders(t, providers...)
	srv.LockWrites(0.25, 42)
	prefix := acctest.Name("many")
	const n = 100

	serverMatchesState := func(s *terraform.State) error {
		seen := map[string]int{}
		for _, p := range providers {
			for _, k := range srv.Keys(p) {
				if strings.HasPrefix(k.Name, prefix) {
					seen[p+"/"+k.ID]++
				}
			}
		}
		if len(seen) != n {
			return fmt.Errorf("the server holds %d keys, want %d", len(seen), n)
		}
		for i := range n {
			rs := s.RootModule().Resources[fmt.Sprintf("bifrost_provider_key.many.%d", i)]
			if rs == nil {
				return fmt.Errorf("key %d missing from state", i)
			}
			if seen[rs.Primary.Attributes["provider_name"]+"/"+rs.Primary.ID] != 1 {
				return fmt.Errorf("key %d (%s) is not stored exactly once", i, rs.Primary.ID)
			}
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			for _, p := range providers {
				for _, k := range srv.Keys(p) {
					if strings.HasPrefix(k.Name, prefix) {
						return fmt.Errorf("key %s/%s left after destroy", p, k.ID)
					}
				}
			}
			return nil
		},
		Steps: []resource.TestStep{{
			Config: manyKeysConfig(tg, prefix, n, providers),
			Check:  serverMatchesState,
		}},
	})
	locked := 0
	for _, r := range srv.Requests() {
		if r.Status == http.StatusInternalServerError {
			locked++
		}
	}
	if locked == 0 {
		t.Fatal("no write was refused: the fault injection did not happen")
	}
	t.Logf("%d keys created and destroyed; %d writes refused with \"database is locked\" and retried", n, locked)
}

// TestAccProviderKey_exactlyOnceCreate drops the connection after the server
// stored the key: the retried create must end with one key and a correct
// state.
func TestAccProviderKey_exactlyOnceCreate(t *testing.T) {
	tg := acctest.New(t, emulator.Options{Providers: []string{"openai"}})
	srv := tg.NeedEmulator(t)
	name := acctest.Name("once")
	srv.DropAfterStore(1, http.MethodPost)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             tg.CheckKeysDestroyed,
		Steps: []resource.TestStep{{
			Config: keyConfig(tg, "openai", name, `  value = "sk-once-0123456789abcdefghij"`),
			Check: func(s *terraform.State) error {
				var withName int
				for _, k := range srv.Keys("openai") {
					if k.Name == name {
						withName++
					}
				}
				if withName != 1 {
					return fmt.Errorf("%d keys named %s, want exactly 1", withName, name)
				}
				if posts := srv.Count(http.MethodPost, "/api/providers/openai/keys"); posts != 2 {
					return fmt.Errorf("%d POSTs, want 2 (the dropped one and its retry)", posts)
				}
				_, id, err := acctest.KeyID(s, addr)
				if err != nil {
					return err
				}
				if tg.StoredKey("openai", id).Name != name {
					return fmt.Errorf("the state's id %s is not the stored key", id)
				}
				return nil
			},
		}},
	})
}

// TestAccProviderKey_transientFaults answers with 429 (Retry-After), 502,
// 503, 504 and connection resets: all retried; a 400 and a plain 500 on a
// create are not.
func TestAccProviderKey_transientFaults(t *testing.T) {
	tg := acctest.New(t, emulator.Options{Providers: []string{"openai"}})
	srv := tg.NeedEmulator(t)
	name := acctest.Name("faults")
	cfg := func(weight int) string {
		return keyConfig(tg, "openai", name, fmt.Sprintf(`  value = "sk-faults-0123456789abcdefghij"
  weight = %d`, weight))
	}
	keys := "/api/providers/openai/keys"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             tg.CheckKeysDestroyed,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					srv.FailNext(1, emulator.Fault{Method: http.MethodPost, PathPrefix: keys, Status: 429, RetryAfter: "1"})
					srv.FailNext(1, emulator.Fault{Method: http.MethodPost, PathPrefix: keys, Status: 503})
				},
				Config: cfg(1),
			},
			{
				PreConfig: func() {
					srv.FailNext(1, emulator.Fault{Method: http.MethodPut, Status: 502})
					srv.FailNext(1, emulator.Fault{Method: http.MethodPut, Status: 504})
					srv.ResetConnections(1)
				},
				Config: cfg(2),
			},
			{
				PreConfig: func() {
					srv.FailNext(1, emulator.Fault{Method: http.MethodPut, Status: 400, Message: "Invalid aliases: rejected by the test"})
				},
				Config:      cfg(3),
				ExpectError: regexp.MustCompile(`(?s)HTTP 400 to PUT\s+/api/providers/openai/keys/.*Invalid\s+aliases:\s+rejected\s+by\s+the\s+test`),
			},
		},
	})
	// One refused create attempt each for 429 and 503, then the stored one.
	if got := srv.Count(http.MethodPost, keys); got != 3 {
		t.Errorf("%d POSTs, want 3", got)
	}
	// 502, 504, the success, and the single 400 (never retried). The reset
	// hits the refresh's GET, which is retried too.
	if got := srv.Count(http.MethodPut, keys); got != 4 {
		t.Errorf("%d PUTs, want 4", got)
	}
	resets := 0
	for _, r := range srv.Requests() {
		if r.Status == 0 {
			resets++
		}
	}
	if resets != 1 {
		t.Errorf("%d requests without an answer, want the 1 reset", resets)
	}
}

// TestAccProviderKey_failuresNotRetried: a create answered with a plain 500
// is never sent again (its outcome is unknown to the client), and retries
// give up after max_retries with a message naming the attempts.
func TestAccProviderKey_failuresNotRetried(t *testing.T) {
	tg := acctest.New(t, emulator.Options{Providers: []string{"openai"}})
	srv := tg.NeedEmulator(t)
	keys := "/api/providers/openai/keys"
	provider := fmt.Sprintf("provider \"bifrost\" {\n  endpoint = %q\n  max_retries = 2\n}\n", tg.Endpoint)
	body := func(name string) string {
		return fmt.Sprintf(`
resource "bifrost_provider_key" "test" {
  provider_name = "openai"
  name          = %q
  value         = "sk-noretry-0123456789abcdefghij"
}
`, name)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					srv.FailNext(1, emulator.Fault{Method: http.MethodPost, Status: 500, Message: "Failed to create provider key: boom"})
				},
				Config:      provider + body(acctest.Name("noretry")),
				ExpectError: regexp.MustCompile(`(?s)HTTP 500 to POST /api/providers/openai/keys:\s+Failed\s+to\s+create\s+provider\s+key:\s+boom`),
			},
			{
				PreConfig: func() {
					srv.ResetRequests()
					srv.FailNext(10, emulator.Fault{Method: http.MethodPost, Status: 503, RetryAfter: "0"})
				},
				Config:      provider + body(acctest.Name("giveup")),
				ExpectError: regexp.MustCompile(`(?s)HTTP 503 to POST /api/providers/openai/keys.*after 3\s+attempts`),
			},
		},
	})
	if got := srv.Count(http.MethodPost, keys); got != 3 {
		t.Errorf("%d POSTs in the give-up step, want 3 (1 + max_retries)", got)
	}
}

// TestAccProviderKey_readAfterWrite: a cluster node that has not seen the
// create answers 404 for a moment; the refresh right after apply waits for
// it instead of dropping the key.
func TestAccProviderKey_readAfterWrite(t *testing.T) {
	tg := acctest.New(t, emulator.Options{Providers: []string{"openai"}})
	srv := tg.NeedEmulator(t)
	srv.SetReadLag(2 * time.Second)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             tg.CheckKeysDestroyed,
		Steps: []resource.TestStep{{
			Config: keyConfig(tg, "openai", acctest.Name("lag"), `  value = "sk-lag-0123456789abcdefghij"`),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		}},
	})
	notFound := 0
	for _, r := range srv.Requests() {
		if r.Method == http.MethodGet && r.Status == http.StatusNotFound {
			notFound++
		}
	}
	if notFound == 0 {
		t.Fatal("no read saw the lag: the test did not exercise read-after-write")
	}
}

// TestAccProviderKey_timeout: a server that never answers fails the create
// at the deadline of its timeouts block.
func TestAccProviderKey_timeout(t *testing.T) {
	tg := acctest.New(t, emulator.Options{Providers: []string{"openai"}})
	srv := tg.NeedEmulator(t)
	srv.Hang(100)
	start := time.Now()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: keyConfig(tg, "openai", acctest.Name("hang"), `  value = "sk-hang-0123456789abcdefghij"
  timeouts {
    create = "3s"
  }`),
			ExpectError: regexp.MustCompile(`(?s)POST /api/providers/openai/keys.*deadline`),
		}},
	})
	if d := time.Since(start); d > 30*time.Second {
		t.Fatalf("the create took %s to fail; the 3s timeout was not honoured", d)
	}
}

// TestAccProviderKey_keepsUnmodelledFields: PUT replaces the whole key, so
// an update must send back the fields a newer Bifrost has and this provider
// does not model.
func TestAccProviderKey_keepsUnmodelledFields(t *testing.T) {
	tg := acctest.New(t, emulator.Options{KeepUnknownKeyFields: true, Providers: []string{"openai"}})
	tg.NeedEmulator(t)
	name, id := acctest.Name("extra"), acctest.Name("extra-id")
	const secret = "sk-extra-0123456789abcdefghij"
	cfg := func(weight int) string {
		return keyConfig(tg, "openai", name, fmt.Sprintf(`  id = %q
  value = %q
  weight = %d`, id, secret, weight))
	}
	keyPath := "/api/providers/openai/keys/" + id
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             tg.CheckKeysDestroyed,
		Steps: []resource.TestStep{
			{Config: cfg(1)},
			{
				PreConfig: func() {
					// Someone sets a field of a newer Bifrost on the key.
					body := fmt.Sprintf(`{"name":%q,"value":%q,"models":["*"],"weight":1,"enabled":true,"future_setting":{"mode":"fast"}}`, name, secret)
					if status, b := tg.Raw(t, http.MethodPut, keyPath, body); status != 200 {
						t.Fatalf("out-of-band PUT: %d %s", status, b)
					}
				},
				Config: cfg(5),
				Check: func(*terraform.State) error {
					_, b := tg.Raw(t, http.MethodGet, keyPath, "")
					var k map[string]json.RawMessage
					if err := json.Unmarshal(b, &k); err != nil {
						return err
					}
					if !bytes.Equal(k["future_setting"], []byte(`{"mode":"fast"}`)) {
						return fmt.Errorf("the update lost future_setting: %s", b)
					}
					if string(k["weight"]) != "5" {
						return fmt.Errorf("the update did not apply: %s", b)
					}
					return nil
				},
			},
		},
	})
}
