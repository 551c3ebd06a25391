# Every customer whose name starts with "acme".
data "bifrost_customers" "acme" {
  name_regex = "^acme"
}

output "acme_customer_ids" {
  value = data.bifrost_customers.acme.ids
}
