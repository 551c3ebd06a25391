# The value of a virtual key kept out of the state (store_value = false),
# read when needed (Terraform >= 1.10) and handed to a write-only attribute
# of another provider, e.g. a Vault KV secret, without entering the plan or
# the state.
resource "bifrost_virtual_key" "batch_jobs" {
  name        = "batch-jobs"
  store_value = false

  provider_configs = {
    openai = {}
  }
}

ephemeral "bifrost_virtual_key" "batch_jobs" {
  id = bifrost_virtual_key.batch_jobs.id
}

# For example, with the hashicorp/vault provider (>= 5.0):
#
# resource "vault_kv_secret_v2" "batch_jobs" {
#   mount                = "secret"
#   name                 = "batch-jobs/bifrost"
#   data_json_wo         = jsonencode({ virtual_key = ephemeral.bifrost_virtual_key.batch_jobs.value })
#   data_json_wo_version = 1
# }
