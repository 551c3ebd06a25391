# Every customer (Terraform >= 1.14: `terraform query`). Customers of the same
# name are told apart by their identity (id).
list "bifrost_customer" "all" {
  provider = bifrost
}

list "bifrost_customer" "acme" {
  provider = bifrost

  config {
    name_regex = "^acme"
  }
}
