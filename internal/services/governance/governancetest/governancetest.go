// Package governancetest holds the test helpers of the governance
// resources (teams, customers, virtual keys): values of their budgets and
// rate limits at the protocol level, and their destroy check.
package governancetest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

// Str is a string value.
func Str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

// Num is a number value.
func Num(f float64) tftypes.Value { return tftypes.NewValue(tftypes.Number, f) }

// Shape builds values of the budgets and rate_limit of a governance
// resource, at the protocol level.
type Shape struct {
	typ tftypes.Object
}

// NewShape is the Shape of resource typeName.
func NewShape(t testing.TB, ps *acctest.ProtocolServer, typeName string) Shape {
	t.Helper()
	typ, ok := ps.ResourceType(typeName).(tftypes.Object)
	if !ok {
		t.Fatalf("%s is not an object", ps.ResourceType(typeName))
	}
	return Shape{typ: typ}
}

// Budgets is a budgets set of the given {max_limit, reset_duration}.
func (s Shape) Budgets(t testing.TB, budgets ...[2]any) tftypes.Value {
	t.Helper()
	st, ok := s.typ.AttributeTypes["budgets"].(tftypes.Set)
	if !ok {
		t.Fatal("budgets is not a set")
	}
	return BudgetSet(t, st, budgets...)
}

// BudgetSet is a value of the budgets set type st (e.g. that of a nested
// object's budgets) of the given {max_limit, reset_duration}.
func BudgetSet(t testing.TB, st tftypes.Set, budgets ...[2]any) tftypes.Value {
	t.Helper()
	var elems []tftypes.Value
	for _, b := range budgets {
		limit, ok1 := b[0].(float64)
		reset, ok2 := b[1].(string)
		if !ok1 || !ok2 {
			t.Fatalf("budget %v is not {float64, string}", b)
		}
		elems = append(elems, acctest.ObjectValue(t, st.ElementType, map[string]tftypes.Value{
			"max_limit": Num(limit), "reset_duration": Str(reset),
		}))
	}
	return tftypes.NewValue(st, elems)
}

// RateLimit is a rate_limit of the given attributes (the others null).
func (s Shape) RateLimit(t testing.TB, attrs map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	return acctest.ObjectValue(t, s.typ.AttributeTypes["rate_limit"], attrs)
}

// readers read a governance object by resource type.
var readers = map[string]func(c *bifrost.Client, ctx context.Context, id string) error{
	"bifrost_team": func(c *bifrost.Client, ctx context.Context, id string) error {
		_, err := c.GetTeam(ctx, id)
		return err
	},
	"bifrost_customer": func(c *bifrost.Client, ctx context.Context, id string) error {
		_, err := c.GetCustomer(ctx, id)
		return err
	},
	"bifrost_virtual_key": func(c *bifrost.Client, ctx context.Context, id string) error {
		_, err := c.GetVirtualKey(ctx, id)
		return err
	},
}

// CheckDestroyed checks that Bifrost no longer has the objects of the
// state's resources of the given types ("bifrost_team", "bifrost_customer",
// "bifrost_virtual_key").
func CheckDestroyed(tg *acctest.Target, types ...string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for _, rs := range s.RootModule().Resources {
			read := readers[rs.Type]
			if read == nil || !slices.Contains(types, rs.Type) {
				continue
			}
			err := read(tg.Client, context.Background(), rs.Primary.ID)
			if err == nil {
				return fmt.Errorf("%s %s still exists", rs.Type, rs.Primary.ID)
			}
			if !bifrost.IsNotFound(err) {
				return err
			}
		}
		return nil
	}
}
