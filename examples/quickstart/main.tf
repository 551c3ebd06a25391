# Quick start against the Bifrost emulator of this repository: `make emulator`
# with OPENAI_API_KEY in the emulator's environment (see the provider's page,
# "Trying it against the emulator"). For a real Bifrost, set its endpoint and
# credentials in the provider block (see "Authentication").
terraform {
  required_providers {
    bifrost = {
      source = "maximhq/bifrost"
    }
  }
}

# No endpoint: BIFROST_ENDPOINT if set, else http://localhost:8080, where
# `make emulator` listens.
provider "bifrost" {}

# Bifrost resolves the key from its own environment (OPENAI_API_KEY where
# Bifrost runs): no secret in Terraform's state. The openai provider must
# exist in Bifrost (`make emulator` creates openai, azure and anthropic).
resource "bifrost_provider_key" "openai" {
  provider_name = "openai"
  name          = "openai-primary"
  value         = "env.OPENAI_API_KEY"
  models        = ["gpt-4o", "gpt-4o-mini"]
}

# "list_models_failed" with a fake key: Bifrost could not list the upstream's
# models with it. The key is stored all the same; nothing failed in Terraform.
output "openai_primary_status" {
  value = bifrost_provider_key.openai.status
}
