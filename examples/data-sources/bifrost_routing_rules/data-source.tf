resource "bifrost_team" "platform" {
  name = "platform"
}

# The rules scoped to the platform team.
data "bifrost_routing_rules" "platform" {
  scope    = "team"
  scope_id = bifrost_team.platform.id
}
