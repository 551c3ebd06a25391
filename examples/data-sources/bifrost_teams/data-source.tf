# The teams of one customer whose name starts with "acme-".
data "bifrost_teams" "acme" {
  customer_id = "5b1e2f0c-7d4a-4c9e-9b2f-3a6d8e1c4f70"
  name_regex  = "^acme-"
}

output "acme_team_ids" {
  value = data.bifrost_teams.acme.ids
}
