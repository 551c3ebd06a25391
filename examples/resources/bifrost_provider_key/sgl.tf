# An SGLang server; the URL is required for sgl keys. Here it comes from
# Bifrost's own environment.
resource "bifrost_provider_key" "sgl" {
  provider_name = "sgl"
  name          = "sglang-cluster"

  sgl_key_config {
    url = "env.SGLANG_URL"
  }
}
