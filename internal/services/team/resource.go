package team

import (
	"context"
	"fmt"
	"time"

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
	_ resource.ResourceWithConfigure   = (*teamResource)(nil)
	_ resource.ResourceWithImportState = (*teamResource)(nil)
	_ resource.ResourceWithIdentity    = (*teamResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*teamResource)(nil)
)

type teamResource struct {
	client *bifrost.Client
}

// NewResource returns the bifrost_team resource.
func NewResource() resource.Resource { return &teamResource{} }

func (r *teamResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_team"
}

func (r *teamResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

// kind is what the governance helpers need to know of teams.
var kind = governance.Kind[bifrost.Team]{
	Noun: "team", UniqueNames: true, ImportHint: " Import by id, or by name with \"name=<team name>\".",
	ID: func(t *bifrost.Team) string { return t.ID }, Name: func(t *bifrost.Team) string { return t.Name },
	Get: (*bifrost.Client).GetTeam, List: (*bifrost.Client).ListTeams, Delete: (*bifrost.Client).DeleteTeam,
}

// isV2 reports whether the server is Bifrost ≥ 2.0 (asked once per run).
func isV2(ctx context.Context, c *bifrost.Client, diags *diag.Diagnostics) bool {
	return governance.IsV2(ctx, c, diags, "Teams")
}

// ModifyPlan checks, at plan time, what Bifrost would refuse with a 500
// that hides its cause ("failed to create team", "Failed to update team"):
// a name another team has, and a customer_id no customer has. It asks the
// server only when the name or the customer is new.
func (r *teamResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.client == nil {
		return
	}
	var plan, state teamModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	create := req.State.Raw.IsNull()
	if !create {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if known(plan.Name) && (create || plan.Name.ValueString() != state.Name.ValueString()) {
		r.checkNameFree(ctx, plan.Name.ValueString(), state.ID.ValueString(), create, &resp.Diagnostics)
	}
	if known(plan.CustomerID) && (create || plan.CustomerID.ValueString() != state.CustomerID.ValueString()) {
		id := plan.CustomerID.ValueString()
		_, err := r.client.GetCustomer(ctx, id)
		switch {
		case bifrost.IsNotFound(err):
			resp.Diagnostics.AddAttributeError(path.Root("customer_id"), "Customer not found",
				fmt.Sprintf("Bifrost (%s) has no customer with id %q: Bifrost would refuse the team with an error that hides the cause. "+
					"Reference a customer that exists, e.g. customer_id = bifrost_customer.<name>.id.", r.client.Endpoint(), id))
		case err != nil:
			resp.Diagnostics.AddWarning("Cannot check the customer", fmt.Sprintf("Reading customer %q: %s", id, err))
		}
	}
}

func known(v types.String) bool { return !v.IsNull() && !v.IsUnknown() }

// checkNameFree reports another team than self (an id, "" for none) named
// name: an error for a rename; a warning for a create, since Terraform
// plans the create half of a replacement (customer_id changed, -replace)
// without the prior state, while the team being replaced still has the
// name (if it is not being replaced, the create fails and says so).
func (r *teamResource) checkNameFree(ctx context.Context, name, self string, create bool, diags *diag.Diagnostics) {
	teams, err := r.client.ListTeams(ctx)
	if err != nil {
		diags.AddWarning("Cannot check the team name", "Listing the teams: "+err.Error())
		return
	}
	for _, t := range teams {
		if t.Name != name || t.ID == self {
			continue
		}
		detail := fmt.Sprintf("Bifrost (%s) already has a team named %q (id %s): team names are unique. Choose another name, "+
			"or adopt that team: terraform import bifrost_team.<name> %q (or an import block with id = %q).",
			r.client.Endpoint(), name, t.ID, "name="+name, "name="+name)
		if create {
			diags.AddAttributeWarning(path.Root("name"), "Team name already taken",
				detail+" Unless this plan replaces that team, creating this one will fail.")
		} else {
			diags.AddAttributeError(path.Root("name"), "Team name already taken", detail)
		}
		return
	}
}

func (r *teamResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan teamModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	v2 := isV2(ctx, r.client, &resp.Diagnostics)
	in, d := expandCreate(ctx, plan, v2)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The teams of this name before the attempt (normally none): a team
	// of that name that was not among them was created by this attempt.
	before, listErr := r.namedTeams(ctx, in.Name)
	start := time.Now()
	got, err := r.client.CreateTeam(ctx, in)
	if err != nil && ambiguous(err) {
		// The create may have been stored (a lost answer, or a retry of
		// one that was): team names are unique, so a team of this exact
		// name created since the attempt began is ours.
		if t, ok := r.createdSince(ctx, in.Name, before, listErr == nil, start); ok {
			tflog.Info(ctx, "Team stored by this create although Bifrost's answer was an error; adopting it", map[string]any{"id": t.ID, "error": err.Error()})
			got, err = t, nil
		}
	}
	if err != nil {
		r.writeError(ctx, &resp.Diagnostics, "create", in.Name, "", err)
		return
	}
	state, d := flattenTeam(got, plan, v2)
	resp.Diagnostics.Append(d...)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
	resp.Diagnostics.Append(governance.SetIdentity(ctx, resp.Identity, state.ID)...)
}

// ambiguous reports whether a failed write may nevertheless have been
// stored: no answer, a 5xx, or v2's 409 (a retry of a stored create).
func ambiguous(err error) bool {
	return bifrost.MayHaveStored(err) || bifrost.IsConflict(err)
}

// namedTeams is the ids of the teams named name.
func (r *teamResource) namedTeams(ctx context.Context, name string) (map[string]bool, error) {
	teams, err := r.client.ListTeams(ctx)
	if err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	for _, t := range teams {
		if t.Name == name {
			ids[t.ID] = true
		}
	}
	return ids, nil
}

// createdSince finds the team named name that this attempt created: one
// not among before (the teams of that name listed just before it) when
// that list could be read, else one whose created_at is not before start.
func (r *teamResource) createdSince(ctx context.Context, name string, before map[string]bool, listed bool, start time.Time) (*bifrost.Team, bool) {
	teams, err := r.client.ListTeams(ctx)
	if err != nil {
		return nil, false
	}
	for i := range teams {
		t := &teams[i]
		if t.Name != name || before[t.ID] {
			continue
		}
		if listed {
			return t, true
		}
		if created, perr := time.Parse(time.RFC3339Nano, t.CreatedAt); perr == nil && !created.Before(start) {
			return t, true
		}
	}
	return nil, false
}

// writeError reports a refused team write, with what to check when
// Bifrost's answer hides the cause.
func (r *teamResource) writeError(ctx context.Context, diags *diag.Diagnostics, action, name, self string, err error) {
	taken := ""
	if bifrost.IsHiddenCause(err) {
		if teams, lerr := r.client.ListTeams(ctx); lerr == nil {
			for _, t := range teams {
				if t.Name == name && t.ID != self {
					taken = t.ID
				}
			}
		}
	}
	switch {
	case bifrost.IsNameTaken(err):
		diags.AddAttributeError(path.Root("name"), "Team name already taken",
			fmt.Sprintf("Bifrost already has a team named %q: choose another name, or adopt it with terraform import bifrost_team.<name> %q.\n\nBifrost said: %s",
				name, "name="+name, err))
	case taken != "":
		diags.AddAttributeError(path.Root("name"), "Team name already taken",
			fmt.Sprintf("Bifrost already has a team named %q (id %s): team names are unique. Choose another name, or adopt that team with "+
				"terraform import bifrost_team.<name> %q.\n\nBifrost said: %s", name, taken, "name="+name, err))
	case bifrost.IsHiddenCause(err):
		diags.AddError("Cannot "+action+" the team",
			fmt.Sprintf("Bifrost refused the team with an error that hides its cause: usually a name another team has (created since the plan), "+
				"a customer_id that no longer exists, or a configuration store that stayed locked. Check them and apply again.\n\nBifrost said: %s", err))
	default:
		diags.AddError("Cannot "+action+" the team", err.Error())
	}
}

func (r *teamResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state teamModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	got, ok := kind.Read(ctx, r.client, resp, state.ID, state.Name)
	if !ok {
		return
	}
	v2 := isV2(ctx, r.client, &resp.Diagnostics)
	newState, d := flattenTeam(got, state, v2)
	resp.Diagnostics.Append(d...)
	resp.Diagnostics.Append(resp.State.Set(ctx, newState)...)
	resp.Diagnostics.Append(governance.SetIdentity(ctx, resp.Identity, newState.ID)...)
}

func (r *teamResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state teamModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	v2 := isV2(ctx, r.client, &resp.Diagnostics)
	in, d := expandUpdate(ctx, plan, state, v2)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	got, err := r.client.UpdateTeam(ctx, state.ID.ValueString(), in)
	if err != nil {
		r.writeError(ctx, &resp.Diagnostics, "update", plan.Name.ValueString(), state.ID.ValueString(), err)
		return
	}
	newState, d := flattenTeam(got, plan, v2)
	resp.Diagnostics.Append(d...)
	resp.Diagnostics.Append(resp.State.Set(ctx, newState)...)
	resp.Diagnostics.Append(governance.SetIdentity(ctx, resp.Identity, newState.ID)...)
}

func (r *teamResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	kind.DeleteResource(ctx, r.client, req, resp)
}

// ImportState accepts "<team id>", "name=<team name>" (team names are
// unique), or a resource identity (Terraform ≥ 1.12).
func (r *teamResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	kind.ImportState(ctx, r.client, req, resp, "Expected \"<team id>\" or \"name=<team name>\".")
}
