# Every key of the openai provider (Terraform >= 1.14: `terraform query`).
list "bifrost_provider_key" "all" {
  provider = bifrost

  config {
    provider_name = "openai"
  }
}

# Only the keys whose name matches a regular expression (RE2, unanchored).
list "bifrost_provider_key" "team_a" {
  provider = bifrost

  config {
    provider_name = "openai"
    name_regex    = "^team-a-"
  }
}
