# Look a key up by name (or by id). Secrets come back masked, as Bifrost
# returns them. The key must exist when Terraform reads it: usually one
# managed elsewhere (Bifrost's UI, another configuration); here it is
# created in the same configuration, and the reference to it makes Terraform
# read the key after creating it.
resource "bifrost_provider_key" "primary" {
  provider_name = "openai"
  name          = "openai-primary"
  value         = "env.OPENAI_API_KEY"
  models        = ["gpt-4o", "gpt-4o-mini"]
}

data "bifrost_provider_key" "primary" {
  provider_name = "openai"
  name          = bifrost_provider_key.primary.name
}

output "primary_key_models" {
  value = data.bifrost_provider_key.primary.models
}
