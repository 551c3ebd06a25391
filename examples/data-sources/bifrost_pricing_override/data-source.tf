# One pricing override, by id (or by name when only one override has it).
data "bifrost_pricing_override" "contract" {
  id = "31cd10c2-feb4-492d-930a-3dee79546342"
}

output "contract_input_price" {
  value = data.bifrost_pricing_override.contract.patch.input_cost_per_token
}
