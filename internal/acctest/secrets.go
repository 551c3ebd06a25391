package acctest

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// NoSecretInPlan fails when the plan JSON (terraform show -json of the
// plan) holds any of the secrets.
func NoSecretInPlan(secrets ...string) plancheck.PlanCheck { return noSecretInPlan{secrets} }

type noSecretInPlan struct{ secrets []string }

func (c noSecretInPlan) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	b, err := json.Marshal(req.Plan)
	if err != nil {
		resp.Error = err
		return
	}
	if err := NoSecretIn(string(b), c.secrets...); err != nil {
		resp.Error = fmt.Errorf("plan JSON: %w", err)
	}
}

// NoSecretInState fails when the state (terraform show -json) holds any of
// the secrets.
func NoSecretInState(secrets ...string) statecheck.StateCheck { return noSecretInState{secrets} }

type noSecretInState struct{ secrets []string }

func (c noSecretInState) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	b, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = err
		return
	}
	if err := NoSecretIn(string(b), c.secrets...); err != nil {
		resp.Error = fmt.Errorf("state JSON: %w", err)
	}
}

// NoSecretInStateFile fails when any attribute of any resource in the state
// file holds one of the secrets.
func NoSecretInStateFile(secrets ...string) func(*terraform.State) error {
	return func(s *terraform.State) error {
		for _, m := range s.Modules {
			for name, r := range m.Resources {
				for k, v := range r.Primary.Attributes {
					if err := NoSecretIn(v, secrets...); err != nil {
						return fmt.Errorf("state file, %s.%s: %w", name, k, err)
					}
				}
			}
		}
		return nil
	}
}
