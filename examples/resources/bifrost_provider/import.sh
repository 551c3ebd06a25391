# A provider is imported by its name.
terraform import bifrost_provider.openai openai
