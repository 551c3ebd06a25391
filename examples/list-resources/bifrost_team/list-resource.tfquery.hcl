# Every team (Terraform >= 1.14: `terraform query`).
list "bifrost_team" "all" {
  provider = bifrost
}

# The teams of one customer whose name matches a regular expression (RE2, unanchored).
list "bifrost_team" "acme" {
  provider = bifrost

  config {
    customer_id = "5b1e2f0c-7d4a-4c9e-9b2f-3a6d8e1c4f70"
    name_regex  = "^acme-"
  }
}
