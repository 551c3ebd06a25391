# The key is resolved by Bifrost from ITS OWN environment (OPENAI_API_KEY
# must be set where Bifrost runs). No secret reaches Terraform's state:
# the state holds the reference, and value_env_var / value_from_env show it.
resource "bifrost_provider_key" "openai_from_env" {
  provider_name = "openai"
  name          = "openai-from-env"
  value         = "env.OPENAI_API_KEY"
}
