package virtualkey_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

func namedVKs(t *testing.T, tg *acctest.Target, match func(string) bool) []bifrost.VirtualKey {
	t.Helper()
	all, err := tg.Client.ListVirtualKeys(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []bifrost.VirtualKey
	for _, vk := range all {
		if match(vk.Name) {
			out = append(out, vk)
		}
	}
	return out
}

func bareConfig(tg *acctest.Target, name string) string {
	return tg.ProviderConfig() + fmt.Sprintf("resource \"bifrost_virtual_key\" \"test\" {\n  name = %q\n}\n", name)
}

// TestAccVirtualKey_exactlyOnceCreate: the server stores the create and
// the connection drops before the answer. The provider finds the key by
// its unique name, created after the attempt started, and adopts it: one
// key, one POST, the state holds it.
func TestAccVirtualKey_exactlyOnceCreate(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		srv := tg.NeedEmulator(t)
		name := acctest.Name("vk-once")
		srv.DropAfterStore(1, http.MethodPost)
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps: []resource.TestStep{{
				Config: bareConfig(tg, name),
				Check: func(s *terraform.State) error {
					got := namedVKs(t, tg, func(n string) bool { return n == name })
					if len(got) != 1 {
						return fmt.Errorf("%d virtual keys named %s, want exactly 1", len(got), name)
					}
					if posts := srv.Count(http.MethodPost, "/api/governance/virtual-keys"); posts != 1 {
						return fmt.Errorf("%d POSTs, want 1 (the dropped one, adopted)", posts)
					}
					if id := s.RootModule().Resources[addr].Primary.ID; id != got[0].ID {
						return fmt.Errorf("state id %s, stored key %s", id, got[0].ID)
					}
					return nil
				},
			}},
		})
	})
}

// TestAccVirtualKey_noAdoptionOfOlderKey: a key of that name existed
// before the create, and the create's connection is reset: the provider
// must not adopt someone else's key; the retried create is refused (name
// taken) and the error says how to import.
func TestAccVirtualKey_noAdoptionOfOlderKey(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	srv := tg.NeedEmulator(t)
	name := acctest.Name("vk-older")
	older, err := tg.Client.CreateVirtualKey(context.Background(), bifrost.VirtualKeyCreate{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tg.Client.DeleteVirtualKey(context.Background(), older.ID) })
	srv.ResetConnections(1)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      bareConfig(tg, name),
			ExpectError: regexp.MustCompile(`(?s)Virtual key name already taken.*terraform import`),
		}},
	})
	if got := namedVKs(t, tg, func(n string) bool { return n == name }); len(got) != 1 || got[0].ID != older.ID {
		t.Fatalf("virtual keys named %s: %+v, want only the older one", name, got)
	}
}

// TestAccVirtualKey_concurrentUnderLocks applies and destroys 100 virtual
// keys with -parallelism=20 while the emulator refuses a share of the
// writes with "database is locked": no error, no duplicate, no orphan.
func TestAccVirtualKey_concurrentUnderLocks(t *testing.T) {
	t.Setenv("TF_CLI_ARGS_apply", "-parallelism=20")
	t.Setenv("TF_CLI_ARGS_destroy", "-parallelism=20")
	tg := acctest.New(t, emulator.Options{})
	srv := tg.NeedEmulator(t)
	tg.EnsureProviders(t, "openai")
	srv.LockWrites(0.25, 42)
	prefix := acctest.Name("vk-many")
	const n = 100
	ours := func(name string) bool { return strings.HasPrefix(name, prefix+"-") }
	cfg := tg.ProviderConfig() + fmt.Sprintf(`
resource "bifrost_virtual_key" "many" {
  count   = %d
  name    = "%s-${count.index}"
  budgets = [{ max_limit = 10, reset_duration = "1d" }]
  provider_configs = { openai = {} }
}
`, n, prefix)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if left := namedVKs(t, tg, ours); len(left) != 0 {
				return fmt.Errorf("%d virtual keys left after destroy", len(left))
			}
			return nil
		},
		Steps: []resource.TestStep{{
			Config: cfg,
			Check: func(s *terraform.State) error {
				stored := namedVKs(t, tg, ours)
				if len(stored) != n {
					return fmt.Errorf("the server holds %d virtual keys, want %d", len(stored), n)
				}
				byID := map[string]int{}
				for _, vk := range stored {
					byID[vk.ID]++
				}
				for i := range n {
					rs := s.RootModule().Resources[fmt.Sprintf("bifrost_virtual_key.many.%d", i)]
					if rs == nil || byID[rs.Primary.ID] != 1 {
						return fmt.Errorf("virtual key %d is not stored exactly once", i)
					}
				}
				return nil
			},
		}},
	})
	locked := 0
	for _, r := range srv.Requests() {
		if r.Locked {
			locked++
		}
	}
	if locked == 0 {
		t.Fatal("no write was refused: the fault injection did not happen")
	}
	t.Logf("%d virtual keys created and destroyed; %d writes refused with \"database is locked\" and retried", n, locked)
}
