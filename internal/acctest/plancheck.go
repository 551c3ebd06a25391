package acctest

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sort"

	"github.com/hashicorp/terraform-plugin-testing/plancheck"
)

// serverComputed are attributes Bifrost recomputes on every write (model
// discovery); they are unknown in any update plan by design.
var serverComputed = []string{"status", "description"}

// ExpectChangedAttributes checks that the plan updates addr in place and
// changes exactly the named top-level attributes, no more, no fewer.
func ExpectChangedAttributes(addr string, attrs ...string) plancheck.PlanCheck {
	return changedAttributes{addr: addr, want: attrs}
}

type changedAttributes struct {
	addr string
	want []string
}

func (c changedAttributes) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != c.addr {
			continue
		}
		if !rc.Change.Actions.Update() {
			resp.Error = fmt.Errorf("%s: expected an in-place update, got %v", c.addr, rc.Change.Actions)
			return
		}
		before, _ := rc.Change.Before.(map[string]any)
		after, _ := rc.Change.After.(map[string]any)
		unknown, _ := rc.Change.AfterUnknown.(map[string]any)
		var got []string
		for k := range mergeKeys(before, after, unknown) {
			if slices.Contains(serverComputed, k) {
				continue
			}
			if u, ok := unknown[k].(bool); (ok && u) || !reflect.DeepEqual(before[k], after[k]) {
				got = append(got, k)
			}
		}
		sort.Strings(got)
		want := slices.Clone(c.want)
		sort.Strings(want)
		if !slices.Equal(got, want) {
			resp.Error = fmt.Errorf("%s: plan changes %v, expected exactly %v", c.addr, got, want)
		}
		return
	}
	resp.Error = fmt.Errorf("%s: not in the plan", c.addr)
}

func mergeKeys(ms ...map[string]any) map[string]bool {
	out := map[string]bool{}
	for _, m := range ms {
		for k := range m {
			out[k] = true
		}
	}
	return out
}
