# Write-only value (Terraform >= 1.11): sent to Bifrost, never stored in the
# plan or the state. The value can come from an ephemeral variable or an
# ephemeral resource. Bump value_wo_version to write a new value (rotation).
resource "bifrost_provider_key" "openai_wo" {
  provider_name    = "openai"
  name             = "openai-write-only"
  value_wo         = var.openai_api_key_wo
  value_wo_version = 1
}

variable "openai_api_key_wo" {
  type      = string
  sensitive = true
  ephemeral = true
}
