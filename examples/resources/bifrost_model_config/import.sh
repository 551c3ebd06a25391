# By model config id:
terraform import bifrost_model_config.gpt4o_openai 04a13015-ac3f-4434-9a2f-cb5463c40522

# By model and provider (a model config is unique by both):
terraform import bifrost_model_config.gpt4o_openai "provider=openai,model=gpt-4o"

# By model, for the model config of all providers:
terraform import bifrost_model_config.o1_everywhere "model=o1"
