# A negotiated rate for gpt-4o on the openai provider, for chat completions
# and responses (each covers its streaming variant). Prices are in dollars
# per token; a price left out keeps the model catalog's.
resource "bifrost_pricing_override" "openai_contract" {
  name          = "openai-contract-gpt-4o"
  scope_kind    = "provider"
  provider_id   = "openai"
  match_type    = "exact"
  pattern       = "gpt-4o"
  request_types = ["chat_completion", "responses"]

  patch = {
    input_cost_per_token        = 0.0000020
    output_cost_per_token       = 0.0000080
    cache_read_input_token_cost = 0.0000010
  }
}

# Every Claude 3 model, priced for one virtual key only.
resource "bifrost_virtual_key" "research" {
  name = "research"
}

resource "bifrost_pricing_override" "research_claude" {
  name           = "research-claude-3"
  scope_kind     = "virtual_key"
  virtual_key_id = bifrost_virtual_key.research.id
  match_type     = "wildcard"
  pattern        = "claude-3*"
  request_types  = ["chat_completion"]

  patch = {
    input_cost_per_token  = 0.0000025
    output_cost_per_token = 0.0000125
  }
}
