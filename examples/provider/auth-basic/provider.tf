# Bifrost with dashboard authentication on: HTTP Basic with the admin user.
# Equivalent environment: BIFROST_USERNAME and BIFROST_PASSWORD.
provider "bifrost" {
  endpoint = "https://bifrost.example.com"
  username = "admin"
  password = var.bifrost_admin_password
}

variable "bifrost_admin_password" {
  type      = string
  sensitive = true
}
