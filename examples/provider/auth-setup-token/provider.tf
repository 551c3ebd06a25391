# Bifrost >= 2.2.6 with dashboard authentication off requires its setup
# token on every management call (sent as X-Bifrost-Setup-Token).
# Equivalent environment: BIFROST_SETUP_TOKEN.
provider "bifrost" {
  endpoint    = "http://bifrost.internal:8080"
  setup_token = var.bifrost_setup_token
}

variable "bifrost_setup_token" {
  type      = string
  sensitive = true
}
