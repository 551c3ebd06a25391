# An Ollama server; the URL is required for ollama keys. The ollama provider
# must exist in Bifrost before its keys: here Terraform creates it (import it
# instead if Bifrost already has it, see bifrost_provider).
resource "bifrost_provider" "ollama" {
  name = "ollama"
}

resource "bifrost_provider_key" "ollama" {
  provider_name = bifrost_provider.ollama.name
  name          = "ollama-gpu-box"

  ollama_key_config {
    url = "http://ollama.internal:11434"
  }
}
