package pricingoverride

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/providerdata"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/governance"
)

var (
	_ resource.ResourceWithConfigure   = (*overrideResource)(nil)
	_ resource.ResourceWithImportState = (*overrideResource)(nil)
	_ resource.ResourceWithIdentity    = (*overrideResource)(nil)
)

type overrideResource struct {
	client *bifrost.Client
}

// NewResource returns the bifrost_pricing_override resource.
func NewResource() resource.Resource { return &overrideResource{} }

func (r *overrideResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_pricing_override"
}

func (r *overrideResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

// kind is what the governance helpers need to know of pricing overrides.
// Get reads through the list: Bifrost has no GET by id.
var kind = governance.Kind[bifrost.PricingOverride]{
	Noun: "pricing override", NotUniqueWhy: "pricing override names are not unique in Bifrost",
	ImportHint: " Import a pricing override by its id (the bifrost_pricing_overrides data source lists them).",
	ID:         func(o *bifrost.PricingOverride) string { return o.ID }, Name: func(o *bifrost.PricingOverride) string { return o.Name },
	Get: (*bifrost.Client).GetPricingOverride, List: (*bifrost.Client).ListPricingOverrides, Delete: (*bifrost.Client).DeletePricingOverride,
}

func (r *overrideResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan overrideModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	in, d := expandCreate(ctx, plan)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	start := time.Now()
	got, err := r.client.CreatePricingOverride(ctx, in)
	if err != nil {
		r.createError(ctx, &resp.Diagnostics, in, start, err)
		return
	}
	r.setState(ctx, got, in.Patch, &resp.State, resp.Identity, &resp.Diagnostics)
}

// createError reports a failed create. When the failure may hide a stored
// override (no answer, a 5xx), it does not guess: nothing of an override is
// unique, so one that looks the same may be someone else's. It lists the
// candidates (same name, scope and pattern) created since the attempt and
// says how to import one.
func (r *overrideResource) createError(ctx context.Context, diags *diag.Diagnostics, in bifrost.PricingOverrideCreate, start time.Time, err error) {
	if !bifrost.MayHaveStored(err) {
		diags.AddError("Cannot create the pricing override", err.Error())
		return
	}
	var candidates []string
	if all, lerr := r.client.ListPricingOverrides(ctx); lerr == nil {
		for _, o := range all {
			created, perr := time.Parse(time.RFC3339Nano, o.CreatedAt)
			if o.Name == strings.TrimSpace(in.Name) && o.ScopeKind == in.ScopeKind && o.MatchType == in.MatchType &&
				o.Pattern == strings.TrimSpace(in.Pattern) && (perr != nil || !created.Before(start.Truncate(time.Second))) {
				candidates = append(candidates, o.ID)
			}
		}
	}
	found := "Bifrost lists no pricing override of that name, scope and pattern created since the attempt: apply again to create it."
	if len(candidates) > 0 {
		found = fmt.Sprintf("Bifrost lists %s named %q with that scope and pattern created since the attempt (ids: %s). If it is this one, "+
			"import it instead of creating another: terraform import bifrost_pricing_override.<name> %s (or an import block with that id); "+
			"otherwise delete it and apply again.",
			bifrost.Plural(len(candidates), "pricing override"), in.Name, strings.Join(candidates, ", "), candidates[0])
	}
	diags.AddError("Pricing override create failed; it may have been stored",
		fmt.Sprintf("Bifrost's answer does not tell whether the pricing override was stored, and nothing of an override is unique, "+
			"so the provider neither retries the create nor adopts an override that looks the same. %s\n\nBifrost said: %s", found, err))
}

// setState sets the state and identity to got, and reports the prices of
// sent that Bifrost did not store.
func (r *overrideResource) setState(ctx context.Context, got *bifrost.PricingOverride, sent bifrost.PricingPatch,
	state *tfsdk.State, ident *tfsdk.ResourceIdentity, diags *diag.Diagnostics,
) {
	m, d := flattenOverride(ctx, got)
	diags.Append(d...)
	if d.HasError() {
		return
	}
	diags.Append(state.Set(ctx, m)...)
	diags.Append(governance.SetIdentity(ctx, ident, m.ID)...)
	checkStoredPatch(sent, got, diags)
}

func (r *overrideResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state overrideModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	got, ok := kind.Read(ctx, r.client, resp, state.ID, state.Name)
	if !ok {
		return
	}
	m, d := flattenOverride(ctx, got)
	resp.Diagnostics.Append(d...)
	if d.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
	resp.Diagnostics.Append(governance.SetIdentity(ctx, resp.Identity, m.ID)...)
}

func (r *overrideResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state overrideModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	in, d := expandUpdate(ctx, plan)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	got, err := r.client.UpdatePricingOverride(ctx, state.ID.ValueString(), in)
	if err != nil {
		detail := err.Error()
		if bifrost.IsNotFound(err) {
			detail = fmt.Sprintf("The pricing override %q (id %s) no longer exists in Bifrost (deleted outside Terraform since the plan). "+
				"Apply again: the refresh removes it from the state and the plan creates it again.\n\nBifrost said: %s",
				state.Name.ValueString(), state.ID.ValueString(), err)
		}
		resp.Diagnostics.AddError("Cannot update the pricing override", detail)
		return
	}
	r.setState(ctx, got, *in.Patch, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *overrideResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	kind.DeleteResource(ctx, r.client, req, resp)
}

// ImportState accepts "<pricing override id>", a resource identity
// (Terraform ≥ 1.12), or "name=<name>" when exactly one override has that
// name (names are not unique).
func (r *overrideResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	kind.ImportState(ctx, r.client, req, resp, "Expected \"<pricing override id>\" (or \"name=<name>\" when only one pricing override has that name).")
}
