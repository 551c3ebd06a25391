package customer

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/providerdata"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/governance"
)

var (
	_ resource.ResourceWithConfigure   = (*customerResource)(nil)
	_ resource.ResourceWithImportState = (*customerResource)(nil)
	_ resource.ResourceWithIdentity    = (*customerResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*customerResource)(nil)
)

type customerResource struct {
	client *bifrost.Client
}

// NewResource returns the bifrost_customer resource.
func NewResource() resource.Resource { return &customerResource{} }

func (r *customerResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customer"
}

func (r *customerResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

// kind is what the governance helpers need to know of customers.
var kind = governance.Kind[bifrost.Customer]{
	Noun: "customer", NotUniqueWhy: "customer names are not unique in Bifrost v1.5.1", ImportHint: " Import a customer by its id.",
	ID: func(cu *bifrost.Customer) string { return cu.ID }, Name: func(cu *bifrost.Customer) string { return cu.Name },
	Get: (*bifrost.Client).GetCustomer, List: (*bifrost.Client).ListCustomers, Delete: (*bifrost.Client).DeleteCustomer,
}

// isV2 reports whether the server is Bifrost ≥ 2.0 (asked once per run).
func isV2(ctx context.Context, c *bifrost.Client, diags *diag.Diagnostics) bool {
	return governance.IsV2(ctx, c, diags, "Customers' budgets")
}

// ModifyPlan refuses, at plan time, more than one budget on a server that
// holds one per customer (Bifrost < 2.0): its update would answer a 500
// that hides the cause, its create would keep only one.
func (r *customerResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.client == nil {
		return
	}
	var budgets types.Set
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("budgets"), &budgets)...)
	if resp.Diagnostics.HasError() || budgets.IsNull() || budgets.IsUnknown() || len(budgets.Elements()) < 2 {
		return
	}
	v, err := r.client.ServerVersion(ctx)
	if err != nil {
		resp.Diagnostics.AddWarning("Cannot tell the Bifrost version",
			"A customer with several budgets needs Bifrost ≥ 2.0, and the server's version could not be read: "+err.Error())
		return
	}
	if !v.AtLeast(2, 0) {
		resp.Diagnostics.AddAttributeError(path.Root("budgets"), "Several customer budgets need Bifrost ≥ 2.0",
			fmt.Sprintf("budgets has %d budgets, but the server at %s runs Bifrost %s, which holds one budget per customer. "+
				"Keep one budget, or upgrade Bifrost to 2.0 or newer.", len(budgets.Elements()), r.client.Endpoint(), v.Raw))
	}
}

func (r *customerResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan customerModel
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
	start := time.Now()
	got, err := r.client.CreateCustomer(ctx, in)
	if err != nil {
		r.createError(ctx, &resp.Diagnostics, in.Name, start, err)
		return
	}
	state, d := flattenCustomer(got, plan)
	resp.Diagnostics.Append(d...)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
	resp.Diagnostics.Append(governance.SetIdentity(ctx, resp.Identity, state.ID)...)
}

// createError reports a failed create. When the failure may hide a stored
// customer (no answer, a 5xx), it does not guess: customer names are not
// unique, so a customer of the same name may be someone else's. It lists
// the candidates created since the attempt and says how to import one.
func (r *customerResource) createError(ctx context.Context, diags *diag.Diagnostics, name string, start time.Time, err error) {
	if !bifrost.MayHaveStored(err) {
		summary := "Cannot create the customer"
		if bifrost.IsNameTaken(err) {
			diags.AddAttributeError(path.Root("name"), "Customer name already taken",
				fmt.Sprintf("Bifrost (≥ 2.0) already has a customer named %q: choose another name, or import that customer by its id "+
					"(terraform import bifrost_customer.<name> <id>; the bifrost_customers data source lists them).\n\nBifrost said: %s", name, err))
			return
		}
		diags.AddError(summary, err.Error())
		return
	}
	var candidates []string
	if all, lerr := r.client.ListCustomers(ctx); lerr == nil {
		for _, cu := range all {
			created, perr := time.Parse(time.RFC3339Nano, cu.CreatedAt)
			if cu.Name == name && (perr != nil || !created.Before(start.Truncate(time.Second))) {
				candidates = append(candidates, cu.ID)
			}
		}
	}
	found := "Bifrost lists no customer of that name created since the attempt: apply again to create it."
	if len(candidates) > 0 {
		found = fmt.Sprintf("Bifrost lists %s named %q created since the attempt (ids: %s). If it is this one, import it instead of "+
			"creating another: terraform import bifrost_customer.<name> %s (or an import block with that id); otherwise delete it and apply again.",
			bifrost.Plural(len(candidates), "customer"), name, strings.Join(candidates, ", "), candidates[0])
	}
	diags.AddError("Customer create failed; it may have been stored",
		fmt.Sprintf("Bifrost's answer does not tell whether the customer was stored, and customer names are not unique, "+
			"so the provider neither retries the create nor adopts a customer by name. %s\n\nBifrost said: %s", found, err))
}

func (r *customerResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state customerModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	got, ok := kind.Read(ctx, r.client, resp, state.ID, state.Name)
	if !ok {
		return
	}
	newState, d := flattenCustomer(got, state)
	resp.Diagnostics.Append(d...)
	resp.Diagnostics.Append(resp.State.Set(ctx, newState)...)
	resp.Diagnostics.Append(governance.SetIdentity(ctx, resp.Identity, newState.ID)...)
}

func (r *customerResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state customerModel
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
	got, err := r.client.UpdateCustomer(ctx, state.ID.ValueString(), in)
	if err != nil {
		detail := err.Error()
		if bifrost.IsHiddenCause(err) {
			detail = "Bifrost v1.5.1 answers every refused customer update with this same error, whatever the cause " +
				"(the provider checks at plan time what it can; a store that stayed locked is the usual remaining cause). Apply again.\n\nBifrost said: " + detail
		}
		resp.Diagnostics.AddError("Cannot update the customer", detail)
		return
	}
	newState, d := flattenCustomer(got, plan)
	resp.Diagnostics.Append(d...)
	resp.Diagnostics.Append(resp.State.Set(ctx, newState)...)
	resp.Diagnostics.Append(governance.SetIdentity(ctx, resp.Identity, newState.ID)...)
}

func (r *customerResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	kind.DeleteResource(ctx, r.client, req, resp)
}

// ImportState accepts "<customer id>", a resource identity (Terraform ≥
// 1.12), or "name=<name>" when exactly one customer has that name
// (customer names are not unique).
func (r *customerResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	kind.ImportState(ctx, r.client, req, resp, "Expected \"<customer id>\" (or \"name=<name>\" when only one customer has that name).")
}
