# By pricing override id (names are not unique):
terraform import bifrost_pricing_override.openai_contract 31cd10c2-feb4-492d-930a-3dee79546342

# By name, only when exactly one override has it (otherwise the error lists their ids):
terraform import bifrost_pricing_override.openai_contract name=openai-contract-gpt-4o
