# Every virtual key (Terraform >= 1.14: `terraform query`), each with its
# identity (id) and its name as display name.
list "bifrost_virtual_key" "all" {
  provider = bifrost
}

list "bifrost_virtual_key" "search" {
  provider = bifrost

  config {
    name_regex = "^search-"
  }
}
