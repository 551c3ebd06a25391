data "bifrost_routing_rule" "split" {
  name = "gpt-4o-split"
}
