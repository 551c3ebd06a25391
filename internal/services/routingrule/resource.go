// Package routingrule implements the bifrost_routing_rule resource, its
// data sources (bifrost_routing_rule, bifrost_routing_rules) and its list
// resource.
package routingrule

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/providerdata"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/governance"
)

var (
	_ resource.ResourceWithConfigure      = (*ruleResource)(nil)
	_ resource.ResourceWithImportState    = (*ruleResource)(nil)
	_ resource.ResourceWithIdentity       = (*ruleResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*ruleResource)(nil)
	_ resource.ResourceWithValidateConfig = (*ruleResource)(nil)
)

type ruleResource struct {
	client *bifrost.Client
}

// NewResource returns the bifrost_routing_rule resource.
func NewResource() resource.Resource { return &ruleResource{} }

func (r *ruleResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_routing_rule"
}

func (r *ruleResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

// kind is what the governance helpers need to know of routing rules.
var kind = governance.Kind[bifrost.RoutingRule]{
	Noun:         "routing rule",
	NotUniqueWhy: "routing rule names are unique only within one team, customer or virtual key scope",
	ImportHint:   " Import a routing rule by its id.",
	ID:           func(r *bifrost.RoutingRule) string { return r.ID }, Name: func(r *bifrost.RoutingRule) string { return r.Name },
	Get: (*bifrost.Client).GetRoutingRule, List: (*bifrost.Client).ListRoutingRules, Delete: (*bifrost.Client).DeleteRoutingRule,
}

// describeScope is "scope 'global'" or "scope team <id>".
func describeScope(scope, scopeID string) string {
	if scope == "global" || scopeID == "" {
		return "the " + scope + " scope"
	}
	return fmt.Sprintf("the scope of %s %s", scopeNoun(scope), scopeID)
}

// sameSlot reports whether rule o is at (scope, scopeID, priority).
func sameSlot(o *bifrost.RoutingRule, scope, scopeID string, priority int64) bool {
	return o.Scope == scope && o.ScopeIDValue() == scopeID && o.Priority == priority
}

// ModifyPlan checks, at plan time, against the server: that the scope_id
// and the targets' key_ids exist, that no other rule holds the priority in
// the scope (a 500 at apply) nor, in a non-global scope, the name; that the
// fallbacks' providers are known to the server's version; and that the CEL
// expression compiles (v2 refuses one that does not; v1.5.1 stores it).
// It asks only about what is new or changed.
func (r *ruleResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.client == nil {
		return
	}
	var plan, state ruleModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	create := req.State.Raw.IsNull()
	if !create {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	changed := func(a, b attr.Value) bool { return create || !a.Equal(b) }
	var v2 *bool
	isV2 := func() bool {
		if v2 == nil {
			b := governance.IsV2(ctx, r.client, &resp.Diagnostics, "Routing rules")
			v2 = &b
		}
		return *v2
	}
	scope, scopeID := plan.Scope.ValueString(), plan.ScopeID.ValueString()
	if known(plan.Scope) && known(plan.ScopeID) && scope != "global" && scopeID != "" && (changed(plan.Scope, state.Scope) || changed(plan.ScopeID, state.ScopeID)) {
		r.checkScopeID(ctx, scope, scopeID, &resp.Diagnostics)
	}
	if known(plan.Targets) {
		r.checkKeys(ctx, plan, state, create, &resp.Diagnostics)
	}
	if known(plan.Fallbacks) && changed(plan.Fallbacks, state.Fallbacks) {
		var fallbacks []types.String
		resp.Diagnostics.Append(plan.Fallbacks.ElementsAs(ctx, &fallbacks, false)...)
		for i, fb := range fallbacks {
			provider, _, _ := strings.Cut(fb.ValueString(), "/")
			if known(fb) && bifrost.IsV2OnlyProvider(provider) && !isV2() && !resp.Diagnostics.HasError() {
				resp.Diagnostics.AddAttributeError(path.Root("fallbacks").AtListIndex(i), "Invalid fallback",
					fmt.Sprintf("fallbacks[%d] %q names provider %q, which Bifrost v1.5.1 (this server) does not know: it refuses the fallback "+
						"(must use a known provider prefix). The provider is new in Bifrost v2.", i, fb.ValueString(), provider))
			}
		}
	}
	if known(plan.CelExpression) && changed(plan.CelExpression, state.CelExpression) && celSyntaxError(plan.CelExpression.ValueString()) == "" {
		if msg := celCheckError(plan.CelExpression.ValueString()); msg != "" {
			detail := fmt.Sprintf("cel_expression %q does not compile against Bifrost's routing variables: %s", plan.CelExpression.ValueString(), msg)
			if isV2() {
				resp.Diagnostics.AddAttributeError(path.Root("cel_expression"), "Invalid CEL expression", detail+"\n\nBifrost v2 refuses it.")
			} else if !resp.Diagnostics.HasError() {
				resp.Diagnostics.AddAttributeWarning(path.Root("cel_expression"), "CEL expression does not compile",
					detail+"\n\nBifrost v1.5.1 stores it, but the rule cannot match (v2 refuses it).")
			}
		}
	}
	if known(plan.Scope) && (scope == "global" || known(plan.ScopeID)) && known(plan.Priority) && known(plan.Name) &&
		(changed(plan.Scope, state.Scope) || changed(plan.ScopeID, state.ScopeID) || changed(plan.Priority, state.Priority) || changed(plan.Name, state.Name)) {
		r.checkSlot(ctx, plan, state.ID.ValueString(), create, &resp.Diagnostics)
	}
}

// checkScopeID reports a scope_id that names no team, customer or
// virtual key.
func (r *ruleResource) checkScopeID(ctx context.Context, scope, id string, diags *diag.Diagnostics) {
	var err error
	switch scope {
	case "team":
		_, err = r.client.GetTeam(ctx, id)
	case "customer":
		_, err = r.client.GetCustomer(ctx, id)
	case "virtual_key":
		_, err = r.client.GetVirtualKey(ctx, id)
	default:
		return
	}
	noun := scopeNoun(scope)
	switch {
	case bifrost.IsNotFound(err):
		diags.AddAttributeError(path.Root("scope_id"), governance.Kind[bifrost.Team]{Noun: noun}.Title()+" not found",
			fmt.Sprintf("Bifrost (%s) has no %s with id %q: the rule would never apply (Bifrost v1.5.1 stores it all the same; v2 refuses it). "+
				"Reference one that exists, e.g. scope_id = bifrost_%s.<name>.id.", r.client.Endpoint(), noun, id, scope))
	case err != nil:
		diags.AddWarning("Cannot check the scope_id", fmt.Sprintf("Reading %s %q: %s", noun, id, err))
	}
}

// checkKeys reports the targets' key_ids (new since the state) that are
// not keys of their provider.
func (r *ruleResource) checkKeys(ctx context.Context, plan, state ruleModel, create bool, diags *diag.Diagnostics) {
	var targets, prior []targetModel
	if d := plan.Targets.ElementsAs(ctx, &targets, false); d.HasError() {
		return
	}
	if !create && known(state.Targets) {
		_ = state.Targets.ElementsAs(ctx, &prior, false)
	}
	for i, t := range targets {
		if !known(t.KeyID) || !known(t.Provider) || t.KeyID.ValueString() == "" {
			continue
		}
		old := false
		for _, p := range prior {
			old = old || (p.KeyID.Equal(t.KeyID) && p.Provider.Equal(t.Provider))
		}
		if old {
			continue
		}
		provider, id := t.Provider.ValueString(), t.KeyID.ValueString()
		_, err := r.client.GetKey(ctx, provider, id)
		switch {
		case bifrost.IsNotFound(err):
			diags.AddAttributeError(path.Root("targets").AtListIndex(i).AtName("key_id"), "Provider key not found",
				fmt.Sprintf("Bifrost (%s) has no key %q of provider %q: requests routed to this target would fail. "+
					"Reference a key of that provider, e.g. key_id = bifrost_provider_key.<name>.id.", r.client.Endpoint(), id, provider))
		case err != nil:
			diags.AddWarning("Cannot check the target's key", fmt.Sprintf("Reading key %q of provider %q: %s", id, provider, err))
		}
	}
}

// checkSlot reports another rule at the plan's (scope, scope_id,
// priority), and, in a non-global scope, another rule of its name. On a
// create, a rule of the same name at the slot only warns: it may be the
// rule this plan replaces.
func (r *ruleResource) checkSlot(ctx context.Context, plan ruleModel, self string, create bool, diags *diag.Diagnostics) {
	rules, err := r.client.ListRoutingRules(ctx)
	if err != nil {
		diags.AddWarning("Cannot check the priority", "Listing the routing rules: "+err.Error())
		return
	}
	scope, scopeID, priority, name := plan.Scope.ValueString(), plan.ScopeID.ValueString(), plan.Priority.ValueInt64(), plan.Name.ValueString()
	if scope == "global" {
		scopeID = ""
	}
	for i := range rules {
		o := &rules[i]
		if o.ID == self {
			continue
		}
		if sameSlot(o, scope, scopeID, priority) {
			detail := fmt.Sprintf("Routing rule %q (id %s) already has priority %d in %s, so Bifrost would refuse routing rule %q with a 500 "+
				"(routing rule with priority %d already exists for scope '%s'). Priorities are unique within a scope: choose another priority, "+
				"or adopt that rule with terraform import bifrost_routing_rule.<name> %s.", o.Name, o.ID, priority, describeScope(scope, scopeID), name, priority, scope, o.ID)
			if create && o.Name == name {
				diags.AddAttributeWarning(path.Root("priority"), "Routing rule priority taken", detail+" Unless this plan replaces that rule, creating this one will fail.")
			} else {
				diags.AddAttributeError(path.Root("priority"), "Routing rule priority taken", detail)
			}
			return
		}
		if scope != "global" && o.Scope == scope && o.ScopeIDValue() == scopeID && o.Name == name {
			detail := fmt.Sprintf("Routing rule %q (id %s, priority %d) already has that name in %s: names are unique within a team, customer or "+
				"virtual key scope. Choose another name, or adopt that rule with terraform import bifrost_routing_rule.<name> %s.",
				name, o.ID, o.Priority, describeScope(scope, scopeID), o.ID)
			if create {
				diags.AddAttributeWarning(path.Root("name"), "Routing rule name taken", detail+" Unless this plan replaces that rule, creating this one will fail.")
			} else {
				diags.AddAttributeError(path.Root("name"), "Routing rule name taken", detail)
			}
			return
		}
	}
}

func (r *ruleResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan ruleModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	in, d := expandCreate(ctx, plan)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The rules at the slot before the attempt (normally none): one that
	// was not among them, made exactly as asked, was made by this attempt.
	before, listErr := r.atSlot(ctx, in.Scope, in.ScopeID, in.Priority)
	start := time.Now()
	got, err := r.client.CreateRoutingRule(ctx, in)
	if _, taken := bifrost.IsPriorityTaken(err); err != nil && !taken && bifrost.MayHaveStored(err) {
		adopted, refusal := r.createdSince(ctx, in, before, listErr == nil, start)
		switch {
		case adopted != nil:
			tflog.Info(ctx, "Routing rule stored by this create although Bifrost's answer was an error; adopting it", map[string]any{"id": adopted.ID, "error": err.Error()})
			got, err = adopted, nil
		case refusal != "":
			resp.Diagnostics.AddError("Cannot tell whether the routing rule was created", refusal+"\n\nBifrost said: "+err.Error())
			return
		}
	}
	if err != nil {
		r.writeError(ctx, &resp.Diagnostics, "create", in.Name, in.Scope, in.ScopeID, in.Priority, "", err)
		return
	}
	state, d := flattenRule(got, plan)
	resp.Diagnostics.Append(d...)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
	resp.Diagnostics.Append(governance.SetIdentity(ctx, resp.Identity, state.ID)...)
}

// atSlot is the ids of the rules at (scope, scopeID, priority).
func (r *ruleResource) atSlot(ctx context.Context, scope, scopeID string, priority int64) (map[string]bool, error) {
	rules, err := r.client.ListRoutingRules(ctx)
	if err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	for i := range rules {
		if sameSlot(&rules[i], scope, scopeID, priority) {
			ids[rules[i].ID] = true
		}
	}
	return ids, nil
}

// createdSince finds the rule this attempt created: (scope, scope_id,
// priority) is unique, so it is the rule at the slot that was not there
// before (or, when that could not be listed, was created since start),
// provided it is exactly the rule asked for. Any other rule at the slot is
// not adopted: the refusal says so, and how to import it.
func (r *ruleResource) createdSince(ctx context.Context, in bifrost.RoutingRuleCreate, before map[string]bool, listed bool, start time.Time) (*bifrost.RoutingRule, string) {
	rules, err := r.client.ListRoutingRules(ctx)
	if err != nil {
		return nil, ""
	}
	for i := range rules {
		o := &rules[i]
		if !sameSlot(o, in.Scope, in.ScopeID, in.Priority) || before[o.ID] {
			continue
		}
		fresh := listed
		if !listed {
			created, perr := time.Parse(time.RFC3339Nano, o.CreatedAt)
			fresh = perr == nil && !created.Before(start)
		}
		if fresh && matches(o, in) {
			return o, ""
		}
		return nil, fmt.Sprintf("Bifrost's answer to the create was lost, and %s now has routing rule %q (id %s) at priority %d, which differs "+
			"from this one or may be older than the attempt: the provider does not guess. If it is this rule, import it: "+
			"terraform import bifrost_routing_rule.<name> %s; otherwise choose another priority.",
			describeScope(in.Scope, in.ScopeID), o.Name, o.ID, in.Priority, o.ID)
	}
	return nil, ""
}

// writeError reports a refused write; a priority collision names the rule
// that holds the priority.
func (r *ruleResource) writeError(ctx context.Context, diags *diag.Diagnostics, action, name, scope, scopeID string, priority int64, self string, err error) {
	if _, taken := bifrost.IsPriorityTaken(err); taken {
		holder, adopt := "another routing rule", ""
		if rules, lerr := r.client.ListRoutingRules(ctx); lerr == nil {
			for i := range rules {
				if o := &rules[i]; o.ID != self && sameSlot(o, scope, scopeID, priority) {
					holder = fmt.Sprintf("routing rule %q (id %s)", o.Name, o.ID)
					if action == "create" {
						adopt = " If that rule is the one this resource means (the plan warned of it), adopt it instead: terraform import bifrost_routing_rule.<name> " + o.ID + "."
					}
				}
			}
		}
		diags.AddAttributeError(path.Root("priority"), "Routing rule priority taken",
			fmt.Sprintf("Bifrost refused to %s routing rule %q at priority %d in %s: %s already has that priority there, and priorities are "+
				"unique within a scope. Give one of the two rules another priority (two rules of one configuration need distinct priorities).%s\n\nBifrost said: %s",
				action, name, priority, describeScope(scope, scopeID), holder, adopt, err))
		return
	}
	if bifrost.IsNameTaken(err) {
		diags.AddAttributeError(path.Root("name"), "Routing rule name taken",
			fmt.Sprintf("Bifrost already has a routing rule named %q in %s: names are unique within a team, customer or virtual key scope.\n\nBifrost said: %s",
				name, describeScope(scope, scopeID), err))
		return
	}
	diags.AddError("Cannot "+action+" the routing rule", err.Error())
}

func (r *ruleResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state ruleModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	got, ok := kind.Read(ctx, r.client, resp, state.ID, state.Name)
	if !ok {
		return
	}
	newState, d := flattenRule(got, state)
	resp.Diagnostics.Append(d...)
	resp.Diagnostics.Append(resp.State.Set(ctx, newState)...)
	resp.Diagnostics.Append(governance.SetIdentity(ctx, resp.Identity, newState.ID)...)
}

func (r *ruleResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state ruleModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	in, d := expandUpdate(ctx, plan, state)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	got, err := r.client.UpdateRoutingRule(ctx, state.ID.ValueString(), in)
	if err != nil {
		scopeID := plan.ScopeID.ValueString()
		r.writeError(ctx, &resp.Diagnostics, "update", plan.Name.ValueString(), plan.Scope.ValueString(), scopeID, plan.Priority.ValueInt64(), state.ID.ValueString(), err)
		return
	}
	newState, d := flattenRule(got, plan)
	resp.Diagnostics.Append(d...)
	resp.Diagnostics.Append(resp.State.Set(ctx, newState)...)
	resp.Diagnostics.Append(governance.SetIdentity(ctx, resp.Identity, newState.ID)...)
}

func (r *ruleResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	kind.DeleteResource(ctx, r.client, req, resp)
}

// ImportState accepts "<rule id>", "name=<rule name>" when exactly one rule
// has the name (names repeat across scopes and among global rules), or a
// resource identity (Terraform ≥ 1.12).
func (r *ruleResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	kind.ImportState(ctx, r.client, req, resp, "Expected \"<routing rule id>\" or \"name=<routing rule name>\".")
}
