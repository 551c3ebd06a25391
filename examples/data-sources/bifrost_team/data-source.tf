# A team by name (or by id), with its budgets' and rate limit's usage.
data "bifrost_team" "platform" {
  name = "acme-platform"
}

output "platform_budget_usage" {
  value = { for b in data.bifrost_team.platform.budgets : b.reset_duration => "${b.current_usage} / ${b.max_limit}" }
}
