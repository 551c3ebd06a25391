package providerkey

import "github.com/hashicorp/terraform-plugin-go/tftypes"

// ReifyState exposes reifyNullListBlocks over the resource's blocks to the
// tests that compare it with the framework.
func ReifyState(v tftypes.Value) (tftypes.Value, error) {
	return reifyNullListBlocks(v, keySchema().Blocks)
}
