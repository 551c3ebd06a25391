terraform {
  required_providers {
    bifrost = {
      source = "maximhq/bifrost"
    }
  }
}

# Every argument can also come from a BIFROST_* environment variable:
# BIFROST_ENDPOINT, BIFROST_USERNAME, BIFROST_PASSWORD, BIFROST_TOKEN, ...
provider "bifrost" {
  endpoint = "https://bifrost.example.com"
  username = "admin"
  password = var.bifrost_password
}

variable "bifrost_password" {
  description = "Password of the Bifrost admin user."
  type        = string
  sensitive   = true
}
