# A self-hosted vLLM server (no API key needed).
resource "bifrost_provider_key" "vllm" {
  provider_name = "vllm"
  name          = "vllm-llama"

  vllm_key_config {
    url        = "http://vllm.internal:8000"
    model_name = "meta-llama/Llama-3.1-8B-Instruct"
  }
}
