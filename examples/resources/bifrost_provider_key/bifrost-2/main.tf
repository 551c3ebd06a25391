# Fields of Bifrost 2.x. The provider refuses them at plan time when the
# server runs an older version, which would silently drop them. (Against the
# emulator: start it as Bifrost 2, e.g. with -version v2.2.5.) The providers
# must exist in Bifrost before their keys: here Terraform creates them
# (import them instead if Bifrost already has them, see bifrost_provider).
resource "bifrost_provider" "bedrock_mantle" {
  name = "bedrock_mantle"
}

resource "bifrost_provider_key" "mantle" {
  provider_name           = bifrost_provider.bedrock_mantle.name
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

resource "bifrost_provider" "vertex" {
  name = "vertex"
}

resource "bifrost_provider_key" "vertex_pinned" {
  provider_name = bifrost_provider.vertex.name
  name          = "vertex-pinned"

  vertex_key_config {
    project_id          = "my-gcp-project"
    region              = "europe-west4"
    force_single_region = true
  }
}
