# A virtual key by name (or by id), with its budgets' and rate limits' usage.
# Its value is not shown: use the bifrost_virtual_key ephemeral resource.
data "bifrost_virtual_key" "search_app" {
  name = "search-app"
}

output "search_app_budget_usage" {
  value = { for b in data.bifrost_virtual_key.search_app.budgets : b.reset_duration => "${b.current_usage} / ${b.max_limit}" }
}
