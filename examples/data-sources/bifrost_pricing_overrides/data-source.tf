# Every provider-scoped pricing override whose name starts with "openai-".
data "bifrost_pricing_overrides" "openai" {
  name_regex = "^openai-"
  scope_kind = "provider"
}

output "openai_override_ids" {
  value = data.bifrost_pricing_overrides.openai.ids
}
