# A self-hosted vLLM server (no API key needed). The vllm provider must exist
# in Bifrost before its keys: here Terraform creates it (import it instead if
# Bifrost already has it, see bifrost_provider).
resource "bifrost_provider" "vllm" {
  name = "vllm"
}

resource "bifrost_provider_key" "vllm" {
  provider_name = bifrost_provider.vllm.name
  name          = "vllm-llama"

  vllm_key_config {
    url        = "http://vllm.internal:8000"
    model_name = "meta-llama/Llama-3.1-8B-Instruct"
  }
}
