# A customer by id (or by a name exactly one customer has), with usage.
data "bifrost_customer" "acme" {
  id = "5b1e2f0c-7d4a-4c9e-9b2f-3a6d8e1c4f70"
}

output "acme_rate_limit_usage" {
  value = data.bifrost_customer.acme.rate_limit
}
