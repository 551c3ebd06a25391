# Every routing rule (Terraform >= 1.14: `terraform query`).
list "bifrost_routing_rule" "all" {
  provider = bifrost
}

# The rules of one team whose name matches a regular expression (RE2, unanchored).
list "bifrost_routing_rule" "platform" {
  provider = bifrost

  config {
    scope      = "team"
    scope_id   = "5b1e2f0c-7d4a-4c9e-9b2f-3a6d8e1c4f70"
    name_regex = "^platform-"
  }
}
