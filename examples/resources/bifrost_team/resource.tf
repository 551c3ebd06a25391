resource "bifrost_customer" "acme" {
  name = "acme"
}

# A team owned by the customer, with a daily and a monthly budget and a
# token rate limit shared by its virtual keys.
resource "bifrost_team" "platform" {
  name        = "acme-platform"
  customer_id = bifrost_customer.acme.id

  budgets = [
    { max_limit = 50, reset_duration = "1d" },
    { max_limit = 1000, reset_duration = "1M" },
  ]
  calendar_aligned = true

  rate_limit = {
    token_max_limit      = 2000000
    token_reset_duration = "1h"
  }
}
