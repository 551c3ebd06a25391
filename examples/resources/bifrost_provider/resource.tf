# An OpenAI provider with tuned network settings and a key that depends on
# it: Terraform creates (or updates) the provider first and destroys the key
# first. Destroying a provider also deletes all of its keys in Bifrost.
resource "bifrost_provider" "openai" {
  name = "openai"

  network_config = {
    default_request_timeout_in_seconds = 60
    max_retries                        = 2
    retry_backoff_initial              = 500
    retry_backoff_max                  = 5000
  }

  concurrency_and_buffer_size = {
    concurrency = 100
    buffer_size = 500
  }
}

# Bifrost usually has an openai provider already (created in its UI, its
# config.json, or at first start from OPENAI_API_KEY): this block adopts it
# (Terraform >= 1.5) instead of failing with "Provider already exists".
# Leave the block out when Bifrost has no openai provider yet.
import {
  to = bifrost_provider.openai
  id = "openai"
}

resource "bifrost_provider_key" "openai" {
  provider_name = bifrost_provider.openai.name
  name          = "openai-primary"
  value         = "env.OPENAI_API_KEY"
}

# A custom provider speaking the OpenAI API at another base URL.
resource "bifrost_provider" "internal_llm" {
  name = "internal-llm"

  network_config = {
    base_url = "https://llm.internal.example.com/v1"
  }

  custom_provider_config = {
    base_provider_type = "openai"
    allowed_requests   = ["list_models", "chat_completion", "chat_completion_stream", "embedding"]
  }
}
