package virtualkey

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
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

const (
	typeSuffix = "_virtual_key"
	// privateFingerprint holds a hash of the value last seen, to report an
	// out-of-band rotation when store_value is false.
	privateFingerprint = "value_fingerprint"
	// createAttempts bounds the creates sent after answers that were lost.
	createAttempts = 3
)

var (
	_ resource.ResourceWithConfigure   = (*vkResource)(nil)
	_ resource.ResourceWithImportState = (*vkResource)(nil)
	_ resource.ResourceWithIdentity    = (*vkResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*vkResource)(nil)
)

type vkResource struct {
	client *bifrost.Client
}

// NewResource returns the bifrost_virtual_key resource.
func NewResource() resource.Resource { return &vkResource{} }

// kind is what the governance helpers need to know of virtual keys (names
// are unique in Bifrost).
var kind = governance.Kind[bifrost.VirtualKey]{
	Noun: "virtual key", UniqueNames: true,
	GoneDetail: func(id, name string) string {
		return fmt.Sprintf("The virtual key %s (%q) no longer exists in Bifrost (deleted outside Terraform). It is removed from the state; the next apply creates it again, with a new value.", id, name)
	},
	ID: func(vk *bifrost.VirtualKey) string { return vk.ID }, Name: func(vk *bifrost.VirtualKey) string { return vk.Name },
	Get: (*bifrost.Client).GetVirtualKey, List: (*bifrost.Client).ListVirtualKeys, Delete: (*bifrost.Client).DeleteVirtualKey,
}

// resourceKind is kind for the resource's Read: it reads from one list of
// all virtual keys per run, so that a plan over N keys costs one request
// (a key absent from it is confirmed with its own GET).
var resourceKind = func() governance.Kind[bifrost.VirtualKey] {
	k := kind
	k.Get = (*bifrost.Client).ReadVirtualKey
	return k
}()

func (r *vkResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + typeSuffix
}

func (r *vkResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan refuses the v2-only attributes against an older server, and
// plans value: null when store_value is false, unknown when the key is
// created or rotated (or starts being stored), the state's otherwise.
func (r *vkResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var config, plan vkModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.checkServerVersion(ctx, config, &resp.Diagnostics)

	var value types.String
	switch {
	case plan.StoreValue.IsUnknown():
		value = types.StringUnknown()
	case !plan.StoreValue.ValueBool():
		value = types.StringNull()
	case req.State.Raw.IsNull():
		value = types.StringUnknown()
	default:
		var state vkModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		value = state.Value
		if rotates(plan, state) || !state.StoreValue.ValueBool() || state.Value.IsNull() {
			value = types.StringUnknown()
		}
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("value"), value)...)
}

// rotates reports whether the update from state to plan rotates the key:
// rotation_trigger changed to a (new) value.
func rotates(plan, state vkModel) bool {
	return !plan.RotationTrigger.IsNull() && !plan.RotationTrigger.Equal(state.RotationTrigger)
}

// v2Attributes are the configured attributes that need Bifrost ≥ 2.0 (an
// older server silently ignores them).
func v2Attributes(ctx context.Context, config vkModel) []path.Path {
	var out []path.Path
	if !config.ExpiresAt.IsNull() {
		out = append(out, path.Root("expires_at"))
	}
	if !config.RotationTrigger.IsNull() {
		out = append(out, path.Root("rotation_trigger"))
	}
	names, pcs, _ := providerConfigs(ctx, config.ProviderConfigs)
	for _, n := range names {
		if !pcs[n].BlacklistedModels.IsNull() {
			out = append(out, path.Root("provider_configs").AtMapKey(n).AtName("blacklisted_models"))
		}
	}
	return out
}

// checkServerVersion asks the server's version (once per run, only when
// the configuration uses a v2 attribute).
func (r *vkResource) checkServerVersion(ctx context.Context, config vkModel, diags *diag.Diagnostics) {
	if r.client == nil {
		return
	}
	v2 := v2Attributes(ctx, config)
	if len(v2) == 0 {
		return
	}
	v, err := r.client.ServerVersion(ctx)
	if err != nil {
		diags.AddWarning("Cannot tell the Bifrost version",
			"The configuration uses fields that need Bifrost ≥ 2.0, and the server's version could not be read: "+err.Error())
		return
	}
	if v.AtLeast(2, 0) {
		return
	}
	for _, p := range v2 {
		diags.AddAttributeError(p, "Not supported by this Bifrost version",
			fmt.Sprintf("%s needs Bifrost ≥ 2.0, but the server at %s runs %s, which would silently ignore it. Remove it or upgrade Bifrost.",
				p, r.client.Endpoint(), v.Raw))
	}
}

func (r *vkResource) isV2(ctx context.Context) bool {
	v, err := r.client.ServerVersion(ctx)
	return err == nil && v.AtLeast(2, 0)
}

// maskValue makes tflog mask the key's value in every log line written
// with ctx.
func maskValue(ctx context.Context, value string) context.Context {
	if value == "" {
		return ctx
	}
	ctx = tflog.MaskMessageStrings(ctx, value)
	return tflog.MaskAllFieldValuesStrings(ctx, value)
}

func fingerprint(value string) []byte {
	sum := sha256.Sum256([]byte(value))
	return []byte(`"` + hex.EncodeToString(sum[:]) + `"`)
}

func (r *vkResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan vkModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	in, d := expandCreate(ctx, plan)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	got, err := r.createOnce(ctx, in)
	if err != nil {
		r.writeError(&resp.Diagnostics, "create", plan, err)
		return
	}
	ctx = maskValue(ctx, got.Value)
	state, d := flatten(ctx, got, plan)
	resp.Diagnostics.Append(d...)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
	resp.Diagnostics.Append(governance.SetIdentity(ctx, resp.Identity, state.ID)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateFingerprint, fingerprint(got.Value))...)
}

// createOnce creates the key exactly once. Virtual key ids are the
// server's, so a create cannot be made idempotent by its id; its name is
// unique though. After an ambiguous failure (no answer: network error,
// timeout, a proxy's 502/504 once the request was sent) the create may
// have been stored, so the key is looked for by its exact name, and
// adopted only if the server created it after this create started (its
// created_at against this host's clock, with no allowance: a key of that
// name that existed before is someone else's and is never adopted; a
// server clock behind this host's only makes the provider refuse to adopt
// its own key, and the error then says how to import it). Only when
// no such key exists is the create sent again; that is safe, as a second
// create of the same name is refused (name taken), never stored twice.
func (r *vkResource) createOnce(ctx context.Context, in bifrost.VirtualKeyCreate) (*bifrost.VirtualKey, error) {
	start := time.Now()
	lost := false
	for attempt := 1; ; attempt++ {
		got, err := r.client.CreateVirtualKey(ctx, in)
		if err == nil {
			return got, nil
		}
		amb := ambiguous(err)
		lost = lost || amb
		if lost && (amb || bifrost.IsNameTaken(err)) {
			if vk, ferr := r.findCreated(ctx, in.Name, start); ferr == nil && vk != nil {
				tflog.Info(ctx, "Virtual key stored by a create whose answer was lost: adopting it", map[string]any{"id": vk.ID, "name": vk.Name})
				return vk, nil
			}
		}
		if !amb || attempt >= createAttempts || ctx.Err() != nil {
			return nil, err
		}
		tflog.Warn(ctx, "Virtual key create got no answer and did not store the key: sending it again", map[string]any{"name": in.Name, "error": err.Error()})
	}
}

// findCreated is the key named name created at or after start, or nil.
func (r *vkResource) findCreated(ctx context.Context, name string, start time.Time) (*bifrost.VirtualKey, error) {
	all, err := r.client.ListVirtualKeys(ctx)
	if err != nil {
		return nil, err
	}
	for i := range all {
		vk := &all[i]
		if vk.Name != name {
			continue
		}
		// A created_at that does not parse cannot prove the key ours.
		if created, perr := time.Parse(time.RFC3339Nano, vk.CreatedAt); perr == nil && !created.Before(start) {
			return vk, nil
		}
		return nil, nil
	}
	return nil, nil
}

// ambiguous reports a failure that does not tell whether the server
// stored the write: no HTTP answer, or a gateway's 502/504.
func ambiguous(err error) bool {
	var e *bifrost.APIError
	if !errors.As(err, &e) {
		return !errors.Is(err, context.Canceled)
	}
	return e.StatusCode == http.StatusBadGateway || e.StatusCode == http.StatusGatewayTimeout
}

// writeError reports a refused create or update, on the attribute at fault
// when Bifrost's answer tells.
func (r *vkResource) writeError(diags *diag.Diagnostics, action string, plan vkModel, err error) {
	msg := err.Error()
	name := plan.Name.ValueString()
	switch {
	case bifrost.IsNameTaken(err):
		diags.AddAttributeError(path.Root("name"), "Virtual key name already taken",
			fmt.Sprintf("Bifrost already has a virtual key named %q (names are unique). Choose another name, or bring the existing key "+
				"under Terraform: terraform import bifrost_virtual_key.<name> 'name=%s'.\n\nBifrost said: %s", name, name, msg))
	case strings.Contains(msg, "FOREIGN KEY constraint failed") || strings.Contains(msg, "violates foreign key constraint"):
		owner, what := path.Root("team_id"), "team"
		if !plan.CustomerID.IsNull() {
			owner, what = path.Root("customer_id"), "customer"
		}
		diags.AddAttributeError(owner, "Unknown "+what,
			fmt.Sprintf("Bifrost has no %s with the configured %s (deleted, or an id of another Bifrost?). Refer to a managed one "+
				"(bifrost_%s.x.id) or check the id.\n\nBifrost said: %s", what, owner, what, msg))
	default:
		if m := keysNotFound.FindStringSubmatch(msg); m != nil {
			diags.AddAttributeError(path.Root("provider_configs").AtMapKey(m[1]).AtName("key_ids"), "Unknown provider key in key_ids",
				fmt.Sprintf("key_ids of provider %q names a key that provider does not have: use the ids of its keys "+
					"(bifrost_provider_key.x.id, with the same provider_name), or [\"*\"] for all.\n\nBifrost said: %s", m[1], msg))
			return
		}
		if m := invalidProvider.FindStringSubmatch(msg); m != nil {
			diags.AddAttributeError(path.Root("provider_configs").AtMapKey(m[1]), "Provider not configured in Bifrost",
				fmt.Sprintf("Bifrost has no provider %q: configure it first (a bifrost_provider resource, referred to from this key so that "+
					"it is created first), or remove it from provider_configs.\n\nBifrost said: %s", m[1], msg))
			return
		}
		if strings.Contains(msg, "failed to get MCP client: not found") {
			// Bifrost does not say which name: the one configured entry, or
			// the map.
			at := path.Root("mcp_configs")
			var names []string
			if !plan.MCPConfigs.IsNull() && !plan.MCPConfigs.IsUnknown() {
				for n := range plan.MCPConfigs.Elements() {
					names = append(names, n)
				}
			}
			what := "one of the MCP clients of mcp_configs"
			if len(names) == 1 {
				at, what = at.AtMapKey(names[0]), "an MCP client named "+strconv.Quote(names[0])
			}
			diags.AddAttributeError(at, "Unknown MCP client",
				fmt.Sprintf("Bifrost has no %s: mcp_configs is keyed by the names of MCP clients configured in "+
					"Bifrost (GET /api/mcp/clients). Create the client first, or remove it from mcp_configs.\n\nBifrost said: %s",
					what, msg))
			return
		}
		diags.AddError("Cannot "+action+" the virtual key", msg)
	}
}

var (
	keysNotFound    = regexp.MustCompile(`some keys not found for provider ([^:\s]+)`)
	invalidProvider = regexp.MustCompile(`invalid provider name: ([^\s]+)`)
)

func (r *vkResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state vkModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// From one list of all virtual keys per run (see resourceKind).
	got, ok := resourceKind.Read(ctx, r.client, resp, state.ID, state.Name)
	if !ok {
		return
	}
	ctx = maskValue(ctx, got.Value)
	newState, d := flatten(ctx, got, state)
	resp.Diagnostics.Append(d...)
	if !newState.StoreValue.ValueBool() {
		fp, d := req.Private.GetKey(ctx, privateFingerprint)
		resp.Diagnostics.Append(d...)
		if len(fp) > 0 && string(fp) != string(fingerprint(got.Value)) {
			resp.Diagnostics.AddAttributeWarning(path.Root("value"), "Virtual key rotated outside Terraform",
				fmt.Sprintf("The value of virtual key %q changed in Bifrost since Terraform last saw it (rotated outside Terraform). "+
					"store_value is false, so the state holds no value: read the new one with the bifrost_virtual_key ephemeral resource.", got.Name))
		}
	}
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateFingerprint, fingerprint(got.Value))...)
	resp.Diagnostics.Append(resp.State.Set(ctx, newState)...)
	resp.Diagnostics.Append(governance.SetIdentity(ctx, resp.Identity, newState.ID)...)
}

func (r *vkResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state vkModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	// The update is built from the key as it is now: the provider-config
	// ids and rate limits it holds (see buildUpdate).
	got, err := r.client.GetVirtualKey(ctx, id)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the virtual key before updating it", err.Error())
		return
	}
	ctx = maskValue(ctx, got.Value)
	v2 := r.isV2(ctx)
	for pass := 0; pass < 2; pass++ {
		u, again, d := buildUpdate(ctx, plan, state, got, v2)
		resp.Diagnostics.Append(d...)
		if resp.Diagnostics.HasError() {
			return
		}
		got, err = r.client.UpdateVirtualKey(ctx, id, u)
		if err != nil {
			r.writeError(&resp.Diagnostics, "update", plan, err)
			return
		}
		if !again {
			break
		}
		// A rate limit lost a half: it was removed, and is now set anew.
		tflog.Info(ctx, "Rate limit removed to drop one of its halves; setting it again", map[string]any{"id": id})
	}
	if rotates(plan, state) {
		got, err = r.client.RotateVirtualKey(ctx, id)
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("rotation_trigger"), "Cannot rotate the virtual key", err.Error())
			return
		}
		ctx = maskValue(ctx, got.Value)
	}
	newState, d := flatten(ctx, got, plan)
	resp.Diagnostics.Append(d...)
	resp.Diagnostics.Append(resp.State.Set(ctx, newState)...)
	resp.Diagnostics.Append(governance.SetIdentity(ctx, resp.Identity, newState.ID)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateFingerprint, fingerprint(got.Value))...)
}

func (r *vkResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	kind.DeleteResource(ctx, r.client, req, resp)
}

// ImportState accepts the key's id, "name=<name>", or a resource identity
// (Terraform ≥ 1.12).
func (r *vkResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := kind.ImportID(ctx, r.client, req, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if id == "" || strings.Contains(id, "/") {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("%q is not an import ID of bifrost_virtual_key: expected the virtual key's id or \"name=<virtual key name>\".", req.ID))
		return
	}
	governance.SetImported(ctx, resp, id)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("store_value"), true)...)
}
