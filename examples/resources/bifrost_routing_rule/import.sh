# By id
terraform import bifrost_routing_rule.gpt4o_split 0315875d-09f3-423d-8e8d-18d8b590c4dc

# By name, when exactly one rule has it
terraform import bifrost_routing_rule.gpt4o_split "name=gpt-4o-split"
