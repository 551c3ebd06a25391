// Package providerkey implements the bifrost_provider_key resource.
package providerkey

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/providerdata"
	"github.com/maximhq/terraform-provider-bifrost/internal/secret"
	"github.com/maximhq/terraform-provider-bifrost/internal/tfvalue"
)

const (
	defaultTimeout = 10 * time.Minute
	// readAfterWriteWindow is how long after its own write the resource
	// treats a 404 as a node that has not seen the write yet, not as a
	// deletion.
	readAfterWriteWindow = 10 * time.Second

	// Private state keys.
	privateExtra       = "extra_fields"
	privateFingerprint = "value_wo_fingerprint"
	privateWrittenAt   = "written_at"
)

var (
	_ resource.ResourceWithConfigure      = (*keyResource)(nil)
	_ resource.ResourceWithImportState    = (*keyResource)(nil)
	_ resource.ResourceWithIdentity       = (*keyResource)(nil)
	_ resource.ResourceWithValidateConfig = (*keyResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*keyResource)(nil)
)

type keyResource struct {
	client *bifrost.Client
}

// NewResource returns the bifrost_provider_key resource.
func NewResource() resource.Resource { return &keyResource{} }

func (r *keyResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_provider_key"
}

func (r *keyResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan derives value_env_var and value_from_env from the configured
// value, so that a switch between a literal and a reference is planned
// exactly instead of showing as "known after apply"; plans the secrets the
// configuration leaves null as Bifrost holds them (secret.PlanUnmanaged: a
// generated configuration applies as it is written); and refuses, at plan
// time, a create without the value its provider needs and a write that
// would have to send a mask back.
// It runs on every plan of every key, so it works on the raw values, without
// a conversion to the typed model.
func (r *keyResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	config, err := objectAttrs(req.Config.Raw)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the configuration", err.Error())
		return
	}
	r.checkServerVersion(ctx, config, resp)
	planned, unmanaged, err := secret.PlanUnmanaged(req.State.Raw, req.Config.Raw, resp.Plan.Raw, secretPaths())
	if err != nil {
		resp.Diagnostics.AddError("Cannot plan the key's secrets", err.Error())
		return
	}
	plan, err := objectAttrs(planned)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the plan", err.Error())
		return
	}
	create := req.State.Raw.IsNull()
	valueLeft := false // value and value_wo are null: the key's value is Bifrost's
	for _, u := range unmanaged {
		valueLeft = valueLeft || u.Path.Equal(rootValue)
	}
	if create && valueLeft {
		refuseMissingValue(config["provider_name"], &resp.Diagnostics)
	}
	if valueLeft && !create {
		// The reference, if any, is the one Bifrost holds.
		prior, _ := objectAttrs(req.State.Raw)
		plan["value_env_var"], plan["value_from_env"] = prior["value_env_var"], prior["value_from_env"]
	} else if ref, known, err := referenceOf(config); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("value"), "Cannot read the configuration", err.Error())
		return
	} else if known {
		plan["value_env_var"], plan["value_from_env"] = tftypes.NewValue(tftypes.String, ref), tftypes.NewValue(tftypes.Bool, ref != "")
	}
	planned = tftypes.NewValue(planned.Type(), plan)
	if !create {
		secret.WarnUnmanaged(&resp.Diagnostics, unmanaged, "this key")
		secret.RefuseMaskedWrite(&resp.Diagnostics, req.State.Raw, planned, "this key")
	}
	if !planned.Equal(resp.Plan.Raw) {
		resp.Plan.Raw = planned
	}
}

// rootValue is the path of the key's value.
var rootValue = tftypes.NewAttributePath().WithAttributeName("value")

// secretPaths are the key's secrets that have a write-only form.
var secretPaths = sync.OnceValue(func() []*tftypes.AttributePath {
	var resp resource.SchemaResponse
	(&keyResource{}).Schema(context.Background(), resource.SchemaRequest{}, &resp)
	return secret.PlainPaths(resp.Schema)
})

// refuseMissingValue refuses to create a key without a value for a provider
// whose keys need one (at plan time: on an import, the key exists and keeps
// the value Bifrost holds).
func refuseMissingValue(providerName tftypes.Value, diags *diag.Diagnostics) {
	var provider string
	if !providerName.IsKnown() || providerName.IsNull() || providerName.As(&provider) != nil {
		return
	}
	if !bifrost.IsStandardProvider(provider) || bifrost.ValueMayBeEmpty(provider) {
		return
	}
	addMissingValue(diags, provider)
}

// referenceOf is the environment reference configured as the key's value
// (value, else value_wo), "" for a literal or no value: what value_env_var
// must hold. known is false while the value is unknown.
func referenceOf(config map[string]tftypes.Value) (ref string, known bool, err error) {
	v := config["value"]
	if v.IsNull() {
		v = config["value_wo"]
	}
	if !v.IsKnown() {
		return "", false, nil
	}
	var value string
	if !v.IsNull() {
		if err := v.As(&value); err != nil {
			return "", false, err
		}
	}
	if bifrost.IsReference(value) {
		return value, true, nil
	}
	return "", true, nil
}

// objectAttrs returns the attributes of a known object value, in a map of
// the caller's own (Value.As hands out the value's own map); for a null
// value, an empty map.
func objectAttrs(v tftypes.Value) (map[string]tftypes.Value, error) {
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		return nil, err
	}
	return maps.Clone(attrs), nil
}

// versionedAttributes are the configured attributes that only some Bifrost
// versions know: those of Bifrost ≥ 2.0 (v2), and those Bifrost 2 dropped
// (v1only). A server that does not know one silently drops it, so a
// configuration that sets one is refused at plan time.
func versionedAttributes(config map[string]tftypes.Value) (v2, v1only []path.Path) {
	// false is what every version stores for an unset boolean.
	set := func(v tftypes.Value) bool { return !v.IsNull() && !v.Equal(tftypes.NewValue(tftypes.Bool, false)) }
	nestedSet := func(block, attr string) bool {
		b := config[block]
		if b.IsNull() || !b.IsKnown() {
			return false
		}
		attrs, err := objectAttrs(b)
		return err == nil && set(attrs[attr])
	}
	if set(config["use_anthropic_endpoints"]) {
		v2 = append(v2, path.Root("use_anthropic_endpoints"))
	}
	if set(config["alias_configs"]) {
		v2 = append(v2, path.Root("alias_configs"))
	}
	if nestedSet("vertex_key_config", "force_single_region") {
		v2 = append(v2, path.Root("vertex_key_config").AtName("force_single_region"))
	}
	if nestedSet("bedrock_key_config", "project_id") {
		v2 = append(v2, path.Root("bedrock_key_config").AtName("project_id"))
	}
	if set(config["bedrock_mantle_key_config"]) {
		v2 = append(v2, path.Root("bedrock_mantle_key_config"))
	}
	if nestedSet("azure_key_config", "api_version") {
		v1only = append(v1only, path.Root("azure_key_config").AtName("api_version"))
	}
	return v2, v1only
}

// checkServerVersion asks the server's version (once per Terraform run, and
// only when the configuration uses a versioned attribute).
func (r *keyResource) checkServerVersion(ctx context.Context, config map[string]tftypes.Value, resp *resource.ModifyPlanResponse) {
	if r.client == nil {
		return
	}
	v2, v1only := versionedAttributes(config)
	if len(v2) == 0 && len(v1only) == 0 {
		return
	}
	v, err := r.client.ServerVersion(ctx)
	if err != nil {
		resp.Diagnostics.AddWarning("Cannot tell the Bifrost version",
			"The configuration uses fields that only some Bifrost versions know, and the server's version could not be read: "+err.Error())
		return
	}
	if v.AtLeast(2, 0) {
		for _, p := range v1only {
			resp.Diagnostics.AddAttributeError(p, "Not supported by this Bifrost version",
				fmt.Sprintf("%s is not a key field in Bifrost ≥ 2.0 (the server at %s runs %s and would silently drop it). "+
					"Set the API version per alias instead: alias_configs = { \"<alias>\" = { model_id = \"...\", api_version = \"...\" } }.",
					p, r.client.Endpoint(), v.Raw))
		}
		return
	}
	for _, p := range v2 {
		resp.Diagnostics.AddAttributeError(p, "Not supported by this Bifrost version",
			fmt.Sprintf("%s needs Bifrost ≥ 2.0, but the server at %s runs %s, which would silently ignore it. Remove it or upgrade Bifrost.",
				p, r.client.Endpoint(), v.Raw))
	}
}

// configuredWriteOnly reads value_wo from the configuration: it is never in
// the plan. Only this attribute is read, not the whole configuration.
func configuredWriteOnly(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) types.String {
	var wo types.String
	diags.Append(config.GetAttribute(ctx, path.Root("value_wo"), &wo)...)
	return wo
}

// secretFrom is the key value to write: value_wo when configured, otherwise
// the planned value.
func secretFrom(plan keyModel, wo types.String) string {
	if !wo.IsNull() {
		return wo.ValueString()
	}
	return plan.Value.ValueString()
}

func (r *keyResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan keyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	wo := configuredWriteOnly(ctx, req.Config, &resp.Diagnostics)
	written, d := secret.FromConfig(ctx, req.Config, &plan)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	state, ok := r.create(ctx, plan, wo, written, resp.Private, &resp.Diagnostics)
	if !ok {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, state)...)
}

// create writes the planned key (with wo, the configured value_wo) and
// returns its state, recording the write in private. ok is false when the
// key was not created.
func (r *keyResource) create(ctx context.Context, plan keyModel, wo types.String, written []path.Path, private providerdata.PrivateState, diags *diag.Diagnostics) (state keyModel, ok bool) {
	timeout, d := plan.Timeouts.Create(ctx, defaultTimeout)
	diags.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	if plan.ID.IsUnknown() || plan.ID.IsNull() {
		// A client-chosen id makes the create safe to retry.
		plan.ID = types.StringValue(uuid.NewString())
	}
	provider := plan.ProviderName.ValueString()
	key, d := expandKey(ctx, plan, secretFrom(plan, wo))
	diags.Append(d...)
	if diags.HasError() {
		return state, false
	}
	ctx = maskSecrets(ctx, key)

	got, err := r.client.CreateKey(ctx, provider, key)
	if err != nil && (bifrost.IsDuplicateID(err) || bifrost.IsDuplicateName(err)) {
		// A retried create whose first attempt was stored answers
		// "already exists": the key with our id and name is ours.
		if existing, gerr := r.client.GetKey(ctx, provider, key.ID); gerr == nil && existing.Name == key.Name {
			tflog.Info(ctx, "Key already stored by an earlier attempt of this create", map[string]any{"id": key.ID})
			got, err = existing, nil
		}
	}
	if err != nil {
		r.createError(ctx, diags, "create", err, provider, key, valueAttribute(!wo.IsNull()))
		return state, false
	}

	state, d = flattenKey(ctx, got, provider, plan)
	diags.Append(d...)
	secret.KeepWriteOnly(&plan, &state, written)
	diags.Append(recordWrite(ctx, private, got, &state, !wo.IsNull())...)
	warnUnresolvedEnv(diags, got, valueAttribute(!wo.IsNull()), r.client.Endpoint())
	return state, true
}

// createError reports a key write (action "create" or "update") that
// Bifrost refused, on the attribute at fault and with what to do when
// Bifrost's answer tells (see hints.go); valueAttr is the attribute the
// value is configured in.
func (r *keyResource) createError(ctx context.Context, diags *diag.Diagnostics, action string, err error, provider string, key bifrost.Key, valueAttr string) {
	if f, ok := unresolvedEnvField(err, &key, valueAttr); ok {
		addUnresolvedEnvError(diags, f, r.client.Endpoint(), err)
		return
	}
	switch {
	case bifrost.IsProviderNotFound(err):
		r.addProviderMissingError(ctx, diags, provider, err)
	case bifrost.IsDuplicateName(err):
		importID, owner := fmt.Sprintf("%s/name=%s", provider, key.Name), ""
		if all, lerr := r.client.ListAllKeys(ctx); lerr == nil {
			for _, k := range all {
				if k.Name == key.Name && k.KeyID != key.ID {
					importID, owner = k.Provider+"/"+k.KeyID, k.Provider
				}
			}
		}
		where, into := "", provider
		if owner != "" {
			where = fmt.Sprintf(", of provider %q", owner)
		}
		if action != "create" {
			into = ""
		}
		diags.AddAttributeError(path.Root("name"), "Key name already taken",
			fmt.Sprintf("Bifrost already has a key named %q%s (key names are unique across all providers). Choose another name. %s\n\nBifrost said: %s",
				key.Name, where, adoptHint(key.Name, importID, owner, into), err))
	case bifrost.IsDuplicateID(err):
		diags.AddAttributeError(path.Root("id"), "Key id already taken",
			fmt.Sprintf("Bifrost already has a key with id %q. Choose another id, or leave id unset for a generated one. %s\n\nBifrost said: %s",
				key.ID, adoptHint(key.Name, provider+"/"+key.ID, "", provider), err))
	default:
		diags.AddError("Cannot "+action+" the provider key", err.Error())
	}
}

func (r *keyResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state keyModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := state.Timeouts.Read(ctx, defaultTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	provider, id := state.ProviderName.ValueString(), state.ID.ValueString()
	got, err := r.readAfterWrite(ctx, req.Private, provider, id)
	if bifrost.IsNotFound(err) {
		resp.Diagnostics.AddWarning("Provider key not found",
			fmt.Sprintf("The key %s/%s no longer exists in Bifrost (deleted outside Terraform, possibly with its provider). It is removed from the state; the next apply creates it again.", provider, id))
		// Terraform expects an identity even for a resource being removed.
		resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, state)...)
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the provider key", err.Error())
		return
	}

	newState, d := flattenKey(ctx, got, provider, state)
	resp.Diagnostics.Append(d...)
	if !state.ValueWOVersion.IsNull() {
		fp, d := req.Private.GetKey(ctx, privateFingerprint)
		resp.Diagnostics.Append(d...)
		var want string
		if len(fp) > 0 && json.Unmarshal(fp, &want) == nil && want != secret.Fingerprint(got.Value) {
			resp.Diagnostics.AddWarning("Key value changed outside Terraform",
				fmt.Sprintf("The value of key %s/%s in Bifrost is no longer the one written from value_wo. The plan writes value_wo again.", provider, id))
			newState.ValueWOVersion = types.Int64Null()
		}
	}
	drifted, d := secret.CheckFingerprints(ctx, req.Private, &newState, got)
	resp.Diagnostics.Append(d...)
	for _, p := range drifted {
		resp.Diagnostics.AddAttributeWarning(p, "Key secret changed outside Terraform",
			fmt.Sprintf("%s of key %s/%s in Bifrost is no longer the one written from %s_wo. The plan writes %s_wo again.", p, provider, id, p, p))
	}
	// The response already holds the prior state: converting the model back
	// is only needed when the read changed it (a refresh of an unchanged key
	// is the common case of every plan).
	if !tfvalue.ModelsEqual(newState, state) {
		resp.Diagnostics.Append(resp.State.Set(ctx, newState)...)
	}
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, newState)...)
	resp.Diagnostics.Append(setExtra(ctx, resp.Private, got)...)
}

// readAfterWrite reads a key; right after this resource wrote it, a 404 is
// retried for a bounded window, since another node of a Bifrost cluster may
// not have seen the write yet. Later, a 404 means the key is gone.
func (r *keyResource) readAfterWrite(ctx context.Context, private providerdata.PrivateState, provider, id string) (*bifrost.Key, error) {
	var writtenAt time.Time
	if b, _ := private.GetKey(ctx, privateWrittenAt); len(b) > 0 {
		var ms int64
		if json.Unmarshal(b, &ms) == nil {
			writtenAt = time.UnixMilli(ms)
		}
	}
	wait := 100 * time.Millisecond
	for first := true; ; first = false {
		read := r.client.GetKey
		if first {
			// The first read may come from the provider's key list, shared
			// by every key of the plan; retries ask for the key itself.
			read = r.client.ReadKey
		}
		got, err := read(ctx, provider, id)
		if !bifrost.IsNotFound(err) || time.Since(writtenAt) > readAfterWriteWindow {
			return got, err
		}
		tflog.Debug(ctx, "Key not visible yet after our write; reading again", map[string]any{"id": id, "wait_ms": wait.Milliseconds()})
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(wait):
		}
		wait = min(wait*2, 2*time.Second)
	}
}

func (r *keyResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan keyModel
	var id types.String
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
	wo := configuredWriteOnly(ctx, req.Config, &resp.Diagnostics)
	written, d := secret.FromConfig(ctx, req.Config, &plan)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := plan.Timeouts.Update(ctx, defaultTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	provider := plan.ProviderName.ValueString()
	plan.ID = id
	key, d := expandKey(ctx, plan, secretFrom(plan, wo))
	resp.Diagnostics.Append(d...)
	// PUT replaces the whole key: send back the fields this provider does
	// not model, as last read, so they survive the update.
	extra, d := getExtra(ctx, req.Private)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	key.Extra = extra
	ctx = maskSecrets(ctx, key)

	got, err := r.client.UpdateKey(ctx, provider, key)
	if err != nil {
		r.createError(ctx, &resp.Diagnostics, "update", err, provider, key, valueAttribute(!wo.IsNull()))
		return
	}
	newState, d := flattenKey(ctx, got, provider, plan)
	resp.Diagnostics.Append(d...)
	secret.KeepWriteOnly(&plan, &newState, written)
	resp.Diagnostics.Append(resp.State.Set(ctx, newState)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, newState)...)
	resp.Diagnostics.Append(recordWrite(ctx, resp.Private, got, &newState, !wo.IsNull())...)
	warnUnresolvedEnv(&resp.Diagnostics, got, valueAttribute(!wo.IsNull()), r.client.Endpoint())
}

func (r *keyResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state keyModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := state.Timeouts.Delete(ctx, defaultTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	_, err := r.client.DeleteKey(ctx, state.ProviderName.ValueString(), state.ID.ValueString())
	if err != nil && !bifrost.IsNotFound(err) {
		resp.Diagnostics.AddError("Cannot delete the provider key", err.Error())
	}
}

// ImportState accepts "<provider>/<key_id>", "<provider>/name=<name>", or a
// resource identity (Terraform ≥ 1.12).
func (r *keyResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	var provider, id string
	if req.ID == "" {
		var ident identityModel
		resp.Diagnostics.Append(req.Identity.Get(ctx, &ident)...)
		if resp.Diagnostics.HasError() {
			return
		}
		provider, id = ident.ProviderName.ValueString(), ident.ID.ValueString()
	} else {
		var name string
		var ok bool
		provider, id, name, ok = parseImportID(req.ID)
		if !ok {
			resp.Diagnostics.AddError("Invalid import ID",
				fmt.Sprintf("%q is not an import ID of bifrost_provider_key: expected \"<provider>/<key_id>\" or \"<provider>/name=<key name>\", e.g. \"openai/3f2c…\" or \"openai/name=primary\".", req.ID))
			return
		}
		if name != "" {
			keys, err := r.client.ListKeys(ctx, provider)
			if bifrost.IsProviderNotFound(err) {
				resp.Diagnostics.AddError("Cannot list the provider's keys",
					fmt.Sprintf("Bifrost has no provider named %q: check the provider part of the import ID %q.\n\nBifrost said: %s", provider, req.ID, err))
				return
			}
			if err != nil {
				resp.Diagnostics.AddError("Cannot list the provider's keys", err.Error())
				return
			}
			for _, k := range keys {
				if k.Name == name {
					id = k.ID
				}
			}
			if id == "" {
				resp.Diagnostics.AddError("No key with that name",
					fmt.Sprintf("Provider %q has no key named %q (%s listed).", provider, name, bifrost.Plural(len(keys), "key")))
				return
			}
		}
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("provider_name"), provider)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	if resp.Identity != nil {
		resp.Diagnostics.Append(resp.Identity.Set(ctx, identityModel{ProviderName: types.StringValue(provider), ID: types.StringValue(id)})...)
	}
}

// parseImportID splits "<provider>/<key_id>" or "<provider>/name=<name>".
// The provider must be a provider name and the id must not hold a "/", so
// that a mistyped ID is refused here rather than read as a missing key.
func parseImportID(s string) (provider, id, name string, ok bool) {
	provider, rest, found := strings.Cut(s, "/")
	if !found || !bifrost.ProviderNamePattern.MatchString(provider) || rest == "" {
		return "", "", "", false
	}
	if n, isName := strings.CutPrefix(rest, "name="); isName {
		return provider, "", n, n != ""
	}
	return provider, rest, "", !strings.Contains(rest, "/")
}

// setIdentity sets the resource identity, when Terraform supports it.
func setIdentity(ctx context.Context, ident *tfsdk.ResourceIdentity, m keyModel) diag.Diagnostics {
	if ident == nil {
		return nil
	}
	return ident.Set(ctx, identityModel{ProviderName: m.ProviderName, ID: m.ID})
}

// recordWrite keeps, in private state, the time of this write (for
// read-after-write consistency), the fields the provider does not model,
// and, for value_wo and each write-only secret of the blocks (those with an
// X_wo_version in state), the fingerprint of what the server now holds.
func recordWrite(ctx context.Context, private providerdata.PrivateState, got *bifrost.Key, state *keyModel, writeOnly bool) diag.Diagnostics {
	var diags diag.Diagnostics
	ts, _ := json.Marshal(time.Now().UnixMilli())
	diags.Append(private.SetKey(ctx, privateWrittenAt, ts)...)
	fp := []byte(nil)
	if writeOnly {
		fp, _ = json.Marshal(secret.Fingerprint(got.Value))
	}
	diags.Append(private.SetKey(ctx, privateFingerprint, fp)...)
	diags.Append(secret.RecordFingerprints(ctx, private, state, got)...)
	diags.Append(setExtra(ctx, private, got)...)
	return diags
}

func setExtra(ctx context.Context, private providerdata.PrivateState, got *bifrost.Key) diag.Diagnostics {
	var b []byte
	if len(got.Extra) > 0 {
		b, _ = json.Marshal(got.Extra)
	}
	return private.SetKey(ctx, privateExtra, b)
}

func getExtra(ctx context.Context, private providerdata.PrivateState) (map[string]json.RawMessage, diag.Diagnostics) {
	b, diags := private.GetKey(ctx, privateExtra)
	if len(b) == 0 {
		return nil, diags
	}
	var extra map[string]json.RawMessage
	if err := json.Unmarshal(b, &extra); err != nil {
		diags.AddError("Corrupt private state", "The saved unmodelled key fields cannot be read: "+err.Error())
	}
	return extra, diags
}

// maskSecrets makes tflog mask the key's literal secrets in every log line
// written with ctx.
func maskSecrets(ctx context.Context, k bifrost.Key) context.Context {
	secrets := k.Secrets()
	ctx = tflog.MaskMessageStrings(ctx, secrets...)
	return tflog.MaskAllFieldValuesStrings(ctx, secrets...)
}
