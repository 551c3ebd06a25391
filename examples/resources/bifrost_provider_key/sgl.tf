# An SGLang server; the URL is required for sgl keys (a literal, or an
# env.NAME reference that Bifrost resolves in its own environment). The sgl
# provider must exist in Bifrost before its keys: here Terraform creates it
# (import it instead if Bifrost already has it, see bifrost_provider).
resource "bifrost_provider" "sgl" {
  name = "sgl"
}

resource "bifrost_provider_key" "sgl" {
  provider_name = bifrost_provider.sgl.name
  name          = "sglang-cluster"

  sgl_key_config {
    url = var.sglang_url
  }
}

variable "sglang_url" {
  description = "Base URL of the SGLang server, as Bifrost reaches it."
  type        = string
  default     = "http://sglang.internal:30000"
}
