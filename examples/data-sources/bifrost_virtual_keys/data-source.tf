# Every virtual key, with its budgets' and rate limits' usage.
data "bifrost_virtual_keys" "all" {}

output "inactive_virtual_keys" {
  value = [for vk in data.bifrost_virtual_keys.all.virtual_keys : vk.name if !vk.is_active]
}
