# Every enabled key of a provider whose name starts with "team-a-".
data "bifrost_provider_keys" "team_a" {
  provider_name = "openai"
  name_regex    = "^team-a-"
  enabled       = true
}

output "team_a_key_ids" {
  value = data.bifrost_provider_keys.team_a.ids
}
