# By provider name (one per provider):
terraform import bifrost_provider_governance.openai openai
