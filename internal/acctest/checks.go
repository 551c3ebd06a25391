package acctest

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// Unanswered is the number of the emulator's requests of method and path
// that got no answer.
func Unanswered(emu *emulator.Server, method, path string) int {
	n := 0
	for _, r := range emu.Requests() {
		if r.Method == method && r.Path == path && r.Status == 0 {
			n++
		}
	}
	return n
}

// CheckCreatedOnce is the check of an apply whose create's answer was lost
// after Bifrost stored the object (emu.DropAfterStore): of the objects list
// lists, exactly one is the test's (mine), it is the one of addr in the
// state, and a create (a POST to path) did go unanswered. noun names the
// objects in messages ("team").
func CheckCreatedOnce[T any](t *testing.T, emu *emulator.Server, addr, path, noun string,
	list func(context.Context) ([]T, error), mine func(*T) bool, id func(*T) string,
) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		all, err := list(Ctx(t))
		if err != nil {
			return err
		}
		n := 0
		for i := range all {
			if mine(&all[i]) {
				n++
				if id(&all[i]) != s.RootModule().Resources[addr].Primary.ID {
					return fmt.Errorf("state holds another %s than the one stored", noun)
				}
			}
		}
		if n != 1 {
			return fmt.Errorf("%d %ss of the test stored, want 1", n, noun)
		}
		if Unanswered(emu, http.MethodPost, path) == 0 {
			return fmt.Errorf("no %s create went unanswered: the test did not exercise the lost answer", noun)
		}
		return nil
	}
}

// CheckDestroyed checks that Bifrost no longer has (get answers 404) the
// objects of the state's resources of type typeName.
func CheckDestroyed[T any](tg *Target, typeName string, get func(c *bifrost.Client, ctx context.Context, id string) (*T, error)) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for _, rs := range s.RootModule().Resources {
			if rs.Type != typeName {
				continue
			}
			_, err := get(tg.Client, context.Background(), rs.Primary.ID)
			if err == nil {
				return fmt.Errorf("%s %s still exists", typeName, rs.Primary.ID)
			}
			if !bifrost.IsNotFound(err) {
				return err
			}
		}
		return nil
	}
}

// Stored reads out of band the object of the resource addr of the state s
// with get (a client method: (*bifrost.Client).GetTeam); noun names it in
// the failure ("team").
func Stored[T any](t *testing.T, tg *Target, s *terraform.State, addr, noun string, get func(*bifrost.Client, context.Context, string) (*T, error)) *T {
	t.Helper()
	rs, ok := s.RootModule().Resources[addr]
	if !ok {
		t.Fatalf("%s not in state", addr)
	}
	got, err := get(tg.Client, Ctx(t), rs.Primary.ID)
	if err != nil {
		t.Fatalf("reading %s %s: %v", noun, rs.Primary.ID, err)
	}
	return got
}
