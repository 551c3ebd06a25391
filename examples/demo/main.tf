# The configuration `make demo` applies against the Bifrost emulator: two
# OpenAI keys (one resolved from Bifrost's environment, one literal), an
# Azure OpenAI key, a tenant (../modules/bifrost-tenant): a customer with
# two teams, each with budgets, a rate limit and a virtual key limited to its
# models and to these keys, a routing rule for one team, and a model-level
# budget. Point it at any Bifrost with BIFROST_ENDPOINT (or the
# bifrost_endpoint variable) that has the providers `openai` and `azure` and
# DEMO_OPENAI_KEY in its own environment (`make emulator` with
# EMULATOR_FLAGS='-provider openai -provider azure -env DEMO_OPENAI_KEY=sk-demo-0123456789abcdef').
terraform {
  required_version = ">= 1.0"

  required_providers {
    bifrost = {
      source = "maximhq/bifrost"
    }
  }
}

variable "bifrost_endpoint" {
  description = "Base URL of Bifrost. When null, BIFROST_ENDPOINT is used (default http://localhost:8080)."
  type        = string
  default     = null
}

variable "openai_backup_key" {
  description = "A literal OpenAI key (a fake one for the demo)."
  type        = string
  sensitive   = true
  default     = "sk-demo-backup-0123456789abcdefghijklmnop"
}

variable "azure_api_key" {
  description = "The Azure OpenAI resource's API key (a fake one for the demo)."
  type        = string
  sensitive   = true
  default     = "azure-demo-0123456789abcdefghijklmnopqr"
}

provider "bifrost" {
  endpoint = var.bifrost_endpoint
}

# Resolved by Bifrost from its own environment (DEMO_OPENAI_KEY): the state
# holds only the reference.
resource "bifrost_provider_key" "openai_primary" {
  provider_name = "openai"
  name          = "demo-openai-primary"
  value         = "env.DEMO_OPENAI_KEY"
  models        = ["gpt-4o", "gpt-4o-mini"]
  weight        = 0.8
}

# A literal key: Bifrost only ever returns its mask, which the provider
# compares with the state to detect an out-of-band rotation.
resource "bifrost_provider_key" "openai_backup" {
  provider_name = "openai"
  name          = "demo-openai-backup"
  value         = var.openai_backup_key
  models        = ["gpt-4o-mini"]
  weight        = 0.2
}

resource "bifrost_provider_key" "azure" {
  provider_name = "azure"
  name          = "demo-azure-eastus"
  value         = var.azure_api_key
  models        = ["gpt-4o"]

  aliases = {
    "gpt-4o" = "gpt-4o-demo-deployment"
  }

  azure_key_config {
    endpoint    = "https://demo-resource.openai.azure.com"
    api_version = "2024-10-21"
  }
}

# A tenant of this Bifrost: the customer acme, its teams search and support,
# and one virtual key per team (module ../modules/bifrost-tenant).
module "acme" {
  source = "../modules/bifrost-tenant"

  customer_name           = "demo-acme"
  customer_monthly_budget = 2000

  teams = {
    search = {
      monthly_budget  = 1200
      daily_budget    = 60
      tokens_per_hour = 2000000
      models          = ["gpt-4o", "gpt-4o-mini"]
    }
    support = {
      monthly_budget = 300
      models         = ["gpt-4o-mini"]
    }
  }

  provider_key_ids = {
    openai = [bifrost_provider_key.openai_primary.id, bifrost_provider_key.openai_backup.id]
    azure  = [bifrost_provider_key.azure.id]
  }
}

# Routing for the search team: gpt-4o requests split 80/20 between the two
# OpenAI keys, falling back to the Azure deployment.
resource "bifrost_routing_rule" "acme_search_gpt4o" {
  name           = "demo-acme-search-gpt-4o"
  scope          = "team"
  scope_id       = module.acme.team_ids["search"]
  priority       = 10
  cel_expression = "model == \"gpt-4o\""
  targets = [
    { provider = "openai", model = "gpt-4o", key_id = bifrost_provider_key.openai_primary.id, weight = 0.8 },
    { provider = "openai", model = "gpt-4o", key_id = bifrost_provider_key.openai_backup.id, weight = 0.2 },
  ]
  fallbacks = ["azure/gpt-4o"]
}

# A model-level budget: gpt-4o on OpenAI, whatever the virtual key.
resource "bifrost_model_config" "gpt4o_openai" {
  model_name    = "gpt-4o"
  provider_name = "openai"

  budgets = [{ max_limit = 2500, reset_duration = "1M" }]

  rate_limit = {
    request_max_limit      = 600
    request_reset_duration = "1m"
  }
}

output "acme_virtual_key_ids" {
  value = module.acme.virtual_key_ids
}

output "openai_primary_id" {
  value = bifrost_provider_key.openai_primary.id
}

output "openai_primary_env_var" {
  value = bifrost_provider_key.openai_primary.value_env_var
}

output "openai_backup_id" {
  value = bifrost_provider_key.openai_backup.id
}

output "azure_id" {
  value = bifrost_provider_key.azure.id
}

# Bifrost's model discovery after the last write of a key of the provider:
# with the fake keys of the demo, "list_models_failed" (Bifrost could not
# list the upstream's models with these keys; the keys are stored all the same).
output "openai_primary_status" {
  value = bifrost_provider_key.openai_primary.status
}

output "azure_status" {
  value = bifrost_provider_key.azure.status
}
