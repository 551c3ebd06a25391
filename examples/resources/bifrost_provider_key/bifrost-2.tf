# Fields of Bifrost 2.x. The provider refuses them at plan time when the
# server runs an older version, which would silently drop them.
resource "bifrost_provider_key" "mantle" {
  provider_name           = "bedrock_mantle"
  name                    = "bedrock-mantle"
  use_anthropic_endpoints = true

  # Rich aliases: a target model with per-alias overrides.
  alias_configs = {
    "claude-sonnet" = {
      model_id     = "anthropic.claude-sonnet-4"
      model_family = "anthropic"
      region       = "us-west-2"
    }
  }

  bedrock_mantle_key_config {
    region     = "us-west-2"
    role_arn   = "arn:aws:iam::123456789012:role/bifrost-mantle"
    project_id = "my-mantle-project"
  }
}

resource "bifrost_provider_key" "vertex_pinned" {
  provider_name = "vertex"
  name          = "vertex-pinned"

  vertex_key_config {
    project_id          = "my-gcp-project"
    region              = "europe-west4"
    force_single_region = true
  }
}
