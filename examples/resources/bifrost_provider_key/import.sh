# By provider and key id:
terraform import bifrost_provider_key.openai_primary openai/3f6c2a9e-1b7d-4c55-9a0e-2d8f4b1c7e21

# By provider and key name (names are unique across all providers):
terraform import bifrost_provider_key.openai_primary openai/name=openai-primary
