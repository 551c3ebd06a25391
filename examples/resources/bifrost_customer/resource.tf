# A customer with one monthly budget and a rate limit. Bifrost v1.5.1 holds
# one budget per customer; Bifrost 2.0 and later hold several (one per
# reset_duration).
resource "bifrost_customer" "acme" {
  name = "acme"

  budgets = [
    { max_limit = 1000, reset_duration = "1M" },
  ]

  rate_limit = {
    request_max_limit      = 6000
    request_reset_duration = "1h"
  }
}
