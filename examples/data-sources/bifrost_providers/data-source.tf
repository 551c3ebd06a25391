# Every provider configured in Bifrost, with its status.
data "bifrost_providers" "all" {}

output "provider_names" {
  value = data.bifrost_providers.all.names
}

output "custom_providers" {
  value = [for p in data.bifrost_providers.all.providers : p.name if p.custom]
}
