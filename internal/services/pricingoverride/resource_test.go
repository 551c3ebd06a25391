package pricingoverride_test

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

const addr = "bifrost_pricing_override.test"

// spec is the configuration of one override.
type spec struct {
	name, scopeKind, vk, provider, providerKey, matchType, pattern string
	requestTypes                                                   []string
	patch                                                          string
}

func (s spec) config(tg *acctest.Target) string {
	ids := ""
	for _, id := range [][2]string{{"virtual_key_id", s.vk}, {"provider_id", s.provider}, {"provider_key_id", s.providerKey}} {
		if id[1] != "" {
			ids += fmt.Sprintf("  %s = %q\n", id[0], id[1])
		}
	}
	rts := ""
	for i, rt := range s.requestTypes {
		if i > 0 {
			rts += ", "
		}
		rts += fmt.Sprintf("%q", rt)
	}
	return tg.ProviderConfig() + fmt.Sprintf(`
resource "bifrost_pricing_override" "test" {
  name          = %q
  scope_kind    = %q
%s  match_type    = %q
  pattern       = %q
  request_types = [%s]
  patch = {
%s
  }
}
`, s.name, s.scopeKind, ids, s.matchType, s.pattern, rts, s.patch)
}

// stored reads the override of addr out of band (through the list).
func stored(t *testing.T, tg *acctest.Target, s *terraform.State) *bifrost.PricingOverride {
	return acctest.Stored(t, tg, s, addr, "pricing override", (*bifrost.Client).GetPricingOverride)
}

// checkDestroyed checks that Bifrost no longer has the overrides of the
// state.
func checkDestroyed(tg *acctest.Target) resource.TestCheckFunc {
	return acctest.CheckDestroyed(tg, typeName, (*bifrost.Client).GetPricingOverride)
}

// expect checks that the stored override is s.
func expect(t *testing.T, tg *acctest.Target, want spec, patch bifrost.PricingPatch) resource.TestCheckFunc {
	return func(st *terraform.State) error {
		o := stored(t, tg, st)
		got, err := o.Patch()
		if err != nil {
			return err
		}
		rts := slices.Sorted(slices.Values(o.RequestTypes))
		wantRTs := slices.Sorted(slices.Values(want.requestTypes))
		if o.Name != want.name || o.ScopeKind != want.scopeKind || o.VirtualKeyID != want.vk || o.ProviderID != want.provider ||
			o.ProviderKeyID != want.providerKey || o.MatchType != want.matchType || o.Pattern != want.pattern ||
			!slices.Equal(rts, wantRTs) || !reflect.DeepEqual(got, patch) {
			return fmt.Errorf("stored override %+v (patch %v) differs from %+v (patch %v)", o, got, want, patch)
		}
		return nil
	}
}

func updated(changes ...string) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{
		PreApply:             []plancheck.PlanCheck{acctest.ExpectChangedLeaves(addr, nil, changes...)},
		PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
	}
}

// TestAccPricingOverride_lifecycle covers create, the in-place update of
// each field, out-of-band drift of each field, out-of-band deletion, import
// by id, and destroy.
func TestAccPricingOverride_lifecycle(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		name := acctest.Name("pricing")
		vkID, keyID := acctest.Name("vk-id"), acctest.Name("key-id")
		s := spec{name: name, scopeKind: "provider", provider: "openai", matchType: "exact", pattern: "gpt-4o",
			requestTypes: []string{"chat_completion"},
			patch:        "    input_cost_per_token  = 0.000001\n    output_cost_per_token = 0.000002"}
		p1 := bifrost.PricingPatch{"input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6}

		renamed := s
		renamed.name = name + "-2"
		// scope_kind and its ids: to a virtual key with a provider.
		vkScope := renamed
		vkScope.scopeKind, vkScope.vk = "virtual_key_provider", vkID
		// provider_id alone.
		otherProvider := vkScope
		otherProvider.provider = "anthropic"
		// provider_key_id: the scope that uses all three.
		keyScope := otherProvider
		keyScope.scopeKind, keyScope.providerKey = "virtual_key_provider_key", keyID
		// virtual_key_id alone.
		otherVK := keyScope
		otherVK.vk = vkID + "-b"
		// match_type (with the pattern it needs), then the pattern alone.
		wildcard := otherVK
		wildcard.matchType, wildcard.pattern = "wildcard", "gpt-4o*"
		otherPattern := wildcard
		otherPattern.pattern = "claude-3*"
		// request_types.
		moreTypes := otherPattern
		moreTypes.requestTypes = []string{"chat_completion", "responses", "embedding"}
		// patch: a price changed, one removed, one added.
		newPatch := moreTypes
		newPatch.patch = "    input_cost_per_token         = 0.0000025\n    cache_read_input_token_cost = 0.0000005"
		p2 := bifrost.PricingPatch{"input_cost_per_token": 2.5e-6, "cache_read_input_token_cost": 5e-7}
		// Back to the global scope: every id removed.
		global := newPatch
		global.scopeKind, global.vk, global.provider, global.providerKey = "global", "", "", ""

		var id string
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps: []resource.TestStep{
				{
					Config: s.config(tg),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("patch").AtMapKey("input_cost_per_token"), knownvalue.Float64Exact(1e-6)),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("patch").AtMapKey("ocr_cost_per_page"), knownvalue.Null()),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("virtual_key_id"), knownvalue.Null()),
					},
					Check: resource.ComposeTestCheckFunc(expect(t, tg, s, p1), func(st *terraform.State) error {
						id = stored(t, tg, st).ID
						return nil
					}),
				},
				{Config: renamed.config(tg), ConfigPlanChecks: updated("name"), Check: expect(t, tg, renamed, p1)},
				{Config: vkScope.config(tg), ConfigPlanChecks: updated("scope_kind", "virtual_key_id"), Check: expect(t, tg, vkScope, p1)},
				{Config: otherProvider.config(tg), ConfigPlanChecks: updated("provider_id"), Check: expect(t, tg, otherProvider, p1)},
				{Config: keyScope.config(tg), ConfigPlanChecks: updated("scope_kind", "provider_key_id"), Check: expect(t, tg, keyScope, p1)},
				{Config: otherVK.config(tg), ConfigPlanChecks: updated("virtual_key_id"), Check: expect(t, tg, otherVK, p1)},
				{Config: wildcard.config(tg), ConfigPlanChecks: updated("match_type", "pattern"), Check: expect(t, tg, wildcard, p1)},
				{Config: otherPattern.config(tg), ConfigPlanChecks: updated("pattern"), Check: expect(t, tg, otherPattern, p1)},
				{Config: moreTypes.config(tg), ConfigPlanChecks: updated("request_types"), Check: expect(t, tg, moreTypes, p1)},
				{
					Config:           newPatch.config(tg),
					ConfigPlanChecks: updated("patch.input_cost_per_token", "patch.output_cost_per_token", "patch.cache_read_input_token_cost"),
					Check:            expect(t, tg, newPatch, p2),
				},
				{
					Config:           global.config(tg),
					ConfigPlanChecks: updated("scope_kind", "virtual_key_id", "provider_id", "provider_key_id"),
					Check: resource.ComposeTestCheckFunc(expect(t, tg, global, p2), func(st *terraform.State) error {
						if got := stored(t, tg, st).ID; got != id {
							return fmt.Errorf("the override was replaced (id %s, was %s)", got, id)
						}
						return nil
					}),
				},
				// Out-of-band drift of every field.
				{
					PreConfig: func() {
						other, kind, match, pattern := "drifted-"+name, "provider_key", "exact", "o3"
						if _, err := tg.Client.UpdatePricingOverride(acctest.Ctx(t), id, bifrost.PricingOverrideUpdate{
							Name: &other, ScopeKind: &kind, ProviderKeyID: bifrost.SetID(keyID), MatchType: &match, Pattern: &pattern,
							RequestTypes: []string{"rerank"}, Patch: &bifrost.PricingPatch{"input_cost_per_token": 9e-6, "ocr_cost_per_page": 0.01},
						}); err != nil {
							t.Fatal(err)
						}
					},
					Config: global.config(tg),
					ConfigPlanChecks: updated("name", "scope_kind", "provider_key_id", "match_type", "pattern", "request_types",
						"patch.input_cost_per_token", "patch.ocr_cost_per_page", "patch.cache_read_input_token_cost"),
					Check: expect(t, tg, global, p2),
				},
				// Drift of the ids of a scope that uses all three.
				{Config: keyScope.config(tg), Check: expect(t, tg, keyScope, p1)},
				{
					PreConfig: func() {
						if _, err := tg.Client.UpdatePricingOverride(acctest.Ctx(t), id, bifrost.PricingOverrideUpdate{
							VirtualKeyID: bifrost.SetID("vk-drifted"), ProviderID: bifrost.SetID("mistral"), ProviderKeyID: bifrost.SetID("key-drifted"),
						}); err != nil {
							t.Fatal(err)
						}
					},
					Config:           keyScope.config(tg),
					ConfigPlanChecks: updated("virtual_key_id", "provider_id", "provider_key_id"),
					Check:            expect(t, tg, keyScope, p1),
				},
				// Deleted out of band: removed from the state, created again.
				{
					PreConfig: func() {
						if err := tg.Client.DeletePricingOverride(acctest.Ctx(t), id); err != nil {
							t.Fatal(err)
						}
					},
					Config: keyScope.config(tg),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
					},
					Check: expect(t, tg, keyScope, p1),
				},
				{ResourceName: addr, ImportState: true, ImportStateVerify: true},
			},
		})
	})
}
