# Bearer token: a dashboard session token or a Bifrost admin API key.
# Equivalent environment: BIFROST_TOKEN. Conflicts with username/password.
provider "bifrost" {
  endpoint = "https://bifrost.example.com"
  token    = var.bifrost_token
}

variable "bifrost_token" {
  type      = string
  sensitive = true
}
