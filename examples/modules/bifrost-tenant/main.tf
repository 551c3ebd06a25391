# A tenant of a shared Bifrost: one customer (the unit of chargeback), its
# teams, and one virtual key per team, each with budgets, a rate limit and the
# models and provider keys it may use. Copy it, or call it once per tenant:
#
#   module "acme" {
#     source        = "./modules/bifrost-tenant"
#     customer_name = "acme"
#     teams = {
#       search = { monthly_budget = 500, models = ["gpt-4o-mini"] }
#     }
#     provider_key_ids = { openai = [bifrost_provider_key.openai.id] }
#   }
#
# Budgets are in US dollars; a team's budget and rate limit apply to all its
# virtual keys together, the virtual key's to that key alone.
terraform {
  required_version = ">= 1.3" # optional object attributes

  required_providers {
    bifrost = {
      source = "maximhq/bifrost"
    }
  }
}

variable "customer_name" {
  description = "Name of the customer (Bifrost does not require it to be unique: keep it so)."
  type        = string
}

variable "customer_monthly_budget" {
  description = "Monthly budget of the whole customer, in USD."
  type        = number
  default     = 1000
}

variable "teams" {
  description = <<-EOT
    The customer's teams, by name. For each: its monthly budget (USD), an
    optional daily budget of its virtual key, an optional token rate limit per
    hour, and the models its virtual key may call.
  EOT
  type = map(object({
    monthly_budget  = number
    daily_budget    = optional(number)
    tokens_per_hour = optional(number)
    models          = list(string)
  }))
}

variable "provider_key_ids" {
  description = "The provider keys the virtual keys may use, by Bifrost provider (bifrost_provider_key ids)."
  type        = map(list(string))
}

resource "bifrost_customer" "this" {
  name = var.customer_name

  budgets = [
    { max_limit = var.customer_monthly_budget, reset_duration = "1M" },
  ]
}

resource "bifrost_team" "this" {
  for_each = var.teams

  name        = "${var.customer_name}-${each.key}"
  customer_id = bifrost_customer.this.id

  budgets = [
    { max_limit = each.value.monthly_budget, reset_duration = "1M" },
  ]

  rate_limit = each.value.tokens_per_hour == null ? null : {
    token_max_limit      = each.value.tokens_per_hour
    token_reset_duration = "1h"
  }
}

# One virtual key per team: what the team's applications put in their
# Authorization header. Its value is in the state (store_value defaults to
# true); read it from there, or set store_value = false and read it with the
# bifrost_virtual_key ephemeral resource.
resource "bifrost_virtual_key" "this" {
  for_each = var.teams

  name        = "${var.customer_name}-${each.key}-app"
  description = "Virtual key of team ${each.key} (${var.customer_name})"
  team_id     = bifrost_team.this[each.key].id

  budgets = each.value.daily_budget == null ? null : [
    { max_limit = each.value.daily_budget, reset_duration = "1d" },
  ]

  provider_configs = {
    for provider, key_ids in var.provider_key_ids : provider => {
      allowed_models = each.value.models
      key_ids        = key_ids
    }
  }
}

output "customer_id" {
  description = "The customer's id in Bifrost."
  value       = bifrost_customer.this.id
}

output "team_ids" {
  description = "The teams' ids, by team."
  value       = { for name, team in bifrost_team.this : name => team.id }
}

output "virtual_key_ids" {
  description = "The virtual keys' ids, by team."
  value       = { for name, vk in bifrost_virtual_key.this : name => vk.id }
}

output "virtual_keys" {
  description = "The virtual keys' values, by team: hand each to its team's secret store."
  value       = { for name, vk in bifrost_virtual_key.this : name => vk.value }
  sensitive   = true
}
