# Adopt an existing key by its name (or "openai/<key_id>") with an import
# block (Terraform >= 1.5), then `terraform plan` / `terraform apply`. The
# key must exist in Bifrost: an import block cannot create it.
import {
  to = bifrost_provider_key.legacy
  id = "openai/name=legacy-openai"
}

resource "bifrost_provider_key" "legacy" {
  provider_name = "openai"
  name          = "legacy-openai"
  value         = var.legacy_openai_api_key
}

variable "legacy_openai_api_key" {
  type      = string
  sensitive = true
}
