package bench

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The null provider serves the real schema and answers with what Terraform
// sent: a state read back as JSON, a plan that is the proposal, an apply
// that stores the plan.
func TestNullProvider(t *testing.T) {
	ctx := context.Background()
	np, err := newNullProvider(ctx)
	if err != nil {
		t.Fatal(err)
	}
	schema, ok := np.schema.ResourceSchemas["bifrost_provider_key"]
	if !ok {
		t.Fatalf("no bifrost_provider_key in the null provider's schema: %v", np.schema.ResourceSchemas)
	}
	md, _ := np.GetMetadata(ctx, nil)
	if len(md.Resources) != len(np.schema.ResourceSchemas) {
		t.Errorf("metadata lists %d resources, the schema %d", len(md.Resources), len(np.schema.ResourceSchemas))
	}

	up, err := np.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{
		TypeName: "bifrost_provider_key",
		RawState: &tfprotov6.RawState{JSON: []byte(`{"id":"k1","name":"bench-1","provider_name":"openai","weight":1,"unknown_attr":true}`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	v, err := up.UpgradedState.Unmarshal(schema.ValueType())
	if err != nil {
		t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		t.Fatal(err)
	}
	var name string
	if err := attrs["name"].As(&name); err != nil || name != "bench-1" || !attrs["value"].IsNull() {
		t.Errorf("upgraded state: name %q (%v), value %s", name, err, attrs["value"])
	}

	plan, _ := np.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{ProposedNewState: up.UpgradedState, PriorPrivate: []byte(`{"a":1}`)})
	if plan.PlannedState != up.UpgradedState || string(plan.PlannedPrivate) != `{"a":1}` {
		t.Errorf("plan is not the proposal: %+v", plan)
	}
	apply, _ := np.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{PlannedState: plan.PlannedState, PlannedPrivate: plan.PlannedPrivate})
	if apply.NewState != plan.PlannedState || string(apply.Private) != `{"a":1}` {
		t.Errorf("apply does not store the plan: %+v", apply)
	}
}
