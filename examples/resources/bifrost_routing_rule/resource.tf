resource "bifrost_provider_key" "primary" {
  provider_name = "openai"
  name          = "openai-primary"
  value         = "env.OPENAI_API_KEY"
}

resource "bifrost_provider_key" "secondary" {
  provider_name = "openai"
  name          = "openai-secondary"
  value         = "env.OPENAI_API_KEY_2"
}

resource "bifrost_team" "platform" {
  name = "platform"
}

# Route 80/20 between two keys of one provider, with a fallback.
resource "bifrost_routing_rule" "gpt4o_split" {
  name           = "gpt-4o-split"
  cel_expression = "model == \"gpt-4o\""
  priority       = 10
  targets = [
    { provider = "openai", model = "gpt-4o", key_id = bifrost_provider_key.primary.id, weight = 0.8 },
    { provider = "openai", model = "gpt-4o", key_id = bifrost_provider_key.secondary.id, weight = 0.2 },
  ]
  fallbacks = ["azure/gpt-4o"]
}

# A team-scoped rule: the platform team's premium requests go to Anthropic.
resource "bifrost_routing_rule" "platform_premium" {
  name           = "platform-premium"
  scope          = "team"
  scope_id       = bifrost_team.platform.id
  priority       = 0
  cel_expression = "headers[\"x-tier\"] == \"premium\""
  targets        = [{ provider = "anthropic", model = "claude-sonnet-4", weight = 1 }]
}
