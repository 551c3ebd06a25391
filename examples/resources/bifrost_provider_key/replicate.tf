# A Replicate token that calls Replicate's deployments endpoint.
resource "bifrost_provider_key" "replicate" {
  provider_name = "replicate"
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
