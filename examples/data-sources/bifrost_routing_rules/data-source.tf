data "bifrost_routing_rules" "platform" {
  scope    = "team"
  scope_id = bifrost_team.platform.id
}
