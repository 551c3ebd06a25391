package customer_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

// TestAccCustomerDataSources reads a customer by id and by name, and lists
// customers by name, with usage figures (0 on a new customer).
func TestAccCustomerDataSources(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		name := acctest.Name("customer-ds")
		cfg := customerConfig(tg, name, limits1) + fmt.Sprintf(`
data "bifrost_customer" "by_id" {
  id = bifrost_customer.test.id
}

data "bifrost_customer" "by_name" {
  name = bifrost_customer.test.name
}

data "bifrost_customers" "mine" {
  name_regex = %q
  depends_on = [bifrost_customer.test]
}
`, "^"+regexp.QuoteMeta(name)+"$")
		byID := "data.bifrost_customer.by_id"
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps: []resource.TestStep{{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("budgets"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("budgets").AtSliceIndex(0).AtMapKey("current_usage"), knownvalue.Float64Exact(0)),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("budgets").AtSliceIndex(0).AtMapKey("reset_duration"), knownvalue.StringExact("1d")),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("rate_limit").AtMapKey("token_current_usage"), knownvalue.Int64Exact(0)),
					statecheck.ExpectKnownValue("data.bifrost_customers.mine", tfjsonpath.New("customers"), knownvalue.ListSizeExact(1)),
				},
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttrPair(byID, "name", addr, "name"),
					resource.TestCheckResourceAttrPair("data.bifrost_customer.by_name", "id", addr, "id"),
					resource.TestCheckResourceAttrPair("data.bifrost_customers.mine", "ids.0", addr, "id"),
				),
			}},
		})
	})
}

// TestAccCustomerDataSource_ambiguousName: Bifrost v1.5.1 lets two
// customers share a name; reading by that name is an error that lists
// their ids.
func TestAccCustomerDataSource_ambiguousName(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		if tg.Version(t).AtLeast(2, 0) {
			t.Skip("Bifrost ≥ 2.0 keeps customer names unique")
		}
		name := acctest.Name("customer-twin")
		for range 2 {
			cu, err := tg.Client.CreateCustomer(acctest.Ctx(t), bifrost.CustomerCreate{Name: name})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = tg.Client.DeleteCustomer(context.Background(), cu.ID) })
		}
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			Steps: []resource.TestStep{{
				Config:      tg.ProviderConfig() + fmt.Sprintf("data \"bifrost_customer\" \"x\" {\n  name = %q\n}\n", name),
				ExpectError: regexp.MustCompile(`Several customers have that name(.|\n)*2 customers are named`),
			}},
		})
	})
}
