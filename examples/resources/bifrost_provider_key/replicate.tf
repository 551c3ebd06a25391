# A Replicate token that calls Replicate's deployments endpoint. The
# replicate provider must exist in Bifrost before its keys: here Terraform
# creates it (import it instead if Bifrost already has it, see
# bifrost_provider).
resource "bifrost_provider" "replicate" {
  name = "replicate"
}

resource "bifrost_provider_key" "replicate" {
  provider_name = bifrost_provider.replicate.name
  name          = "replicate-deployments"
  value         = var.replicate_api_token

  replicate_key_config {
    use_deployments_endpoint = true
  }
}

variable "replicate_api_token" {
  type      = string
  sensitive = true
}
