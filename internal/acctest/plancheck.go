package acctest

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-testing/plancheck"
)

// keyServerComputed are the bifrost_provider_key attributes Bifrost
// recomputes on every write (model discovery): unknown in any update plan by
// design.
var keyServerComputed = []string{"status", "description"}

// ExpectChangedAttributes checks that the plan updates a bifrost_provider_key
// in place and changes exactly the named top-level attributes, no more, no
// fewer.
func ExpectChangedAttributes(addr string, attrs ...string) plancheck.PlanCheck {
	return changed{addr: addr, want: attrs, ignore: keyServerComputed, topLevel: true}
}

// ExpectChangedLeaves checks that the plan updates addr in place and changes
// exactly the given leaves (dotted paths such as "network_config.max_retries"),
// ignoring the read-only attributes named in ignore.
func ExpectChangedLeaves(addr string, ignore []string, leaves ...string) plancheck.PlanCheck {
	return changed{addr: addr, want: leaves, ignore: ignore}
}

type changed struct {
	addr     string
	want     []string
	ignore   []string
	topLevel bool
}

func (c changed) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != c.addr {
			continue
		}
		if !rc.Change.Actions.Update() {
			resp.Error = fmt.Errorf("%s: expected an in-place update, got %v", c.addr, rc.Change.Actions)
			return
		}
		var leaves []string
		diffLeaves("", rc.Change.Before, rc.Change.After, rc.Change.AfterUnknown, &leaves)
		var got []string
		for _, l := range leaves {
			if c.topLevel {
				l, _, _ = strings.Cut(l, ".")
			}
			if !slices.Contains(c.ignore, l) && !slices.Contains(got, l) {
				got = append(got, l)
			}
		}
		slices.Sort(got)
		want := slices.Sorted(slices.Values(c.want))
		if !slices.Equal(got, want) {
			resp.Error = fmt.Errorf("%s: plan changes %v, expected exactly %v", c.addr, got, want)
		}
		return
	}
	resp.Error = fmt.Errorf("%s: not in the plan", c.addr)
}

// diffLeaves appends the dotted paths of the leaves that differ between
// before and after, or are unknown after.
func diffLeaves(prefix string, before, after, unknown any, out *[]string) {
	if u, ok := unknown.(bool); ok && u {
		*out = append(*out, prefix)
		return
	}
	b, bOK := before.(map[string]any)
	a, aOK := after.(map[string]any)
	if !bOK || !aOK {
		if !reflect.DeepEqual(before, after) {
			*out = append(*out, prefix)
		}
		return
	}
	u, _ := unknown.(map[string]any)
	keys := map[string]bool{}
	for _, m := range []map[string]any{a, b, u} {
		for k := range m {
			keys[k] = true
		}
	}
	for k := range keys {
		p := k
		if prefix != "" {
			p = prefix + "." + k
		}
		diffLeaves(p, b[k], a[k], u[k], out)
	}
}

// Spaced turns the spaces of a phrase into \s+, since Terraform wraps long
// diagnostics.
func Spaced(phrase string) *regexp.Regexp {
	return regexp.MustCompile(strings.Join(strings.Fields(regexp.QuoteMeta(phrase)), `\s+`))
}
