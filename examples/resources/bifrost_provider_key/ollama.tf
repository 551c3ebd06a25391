# An Ollama server; the URL is required for ollama keys.
resource "bifrost_provider_key" "ollama" {
  provider_name = "ollama"
  name          = "ollama-gpu-box"

  ollama_key_config {
    url = "http://ollama.internal:11434"
  }
}
