package bench

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	providerschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	bifrostprovider "github.com/maximhq/terraform-provider-bifrost/internal/provider"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/providerkey"
)

// envServeFrameworkFloor, set on the Terraform command, makes the provider
// process serve the framework floor. The wrapper passes it on to its child,
// which is then this executable (envWrapProvider points at it): the floor's
// provider processes are measured as ours are.
const envServeFrameworkFloor = "BIFROST_BENCH_FRAMEWORK_FLOOR"

// ServeFrameworkFloorIfAsked serves the framework floor when this process
// was started as its provider (envServeFrameworkFloor set), and reports
// whether it did.
//
// The framework floor is the fourth floor: a terraform-plugin-framework
// provider whose bifrost_provider_key has the real resource's schema
// without any validator, plan modifier or default, and does nothing
// (creates and updates store the plan with its unknowns made null, reads
// keep the state, deletes forget it). Its provider CPU time is what the
// framework itself costs for this schema, the target our provider's is
// compared to; the protocol floor, which bypasses the framework, cannot
// tell the framework's cost from ours.
func ServeFrameworkFloorIfAsked() bool {
	if os.Getenv(envServeFrameworkFloor) == "" {
		return false
	}
	// As the provider does when nobody asked for logs.
	bifrostprovider.SilenceSDKLogs()
	server, err := providerserver.NewProtocol6WithError(newFrameworkFloor(context.Background()))()
	if err == nil {
		err = tf6server.Serve(bifrostprovider.Address, func() tfprotov6.ProviderServer { return server })
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bifrost-bench framework floor:", err)
		os.Exit(1)
	}
	return true
}

// floorProvider is the framework floor's provider: the real provider's
// type name and configuration schema (so that the workspaces' provider
// block is the same), and bifrost_provider_key only.
type floorProvider struct {
	providerSchema providerschema.Schema
	resource       func() resource.Resource
}

var _ provider.Provider = (*floorProvider)(nil)

// newFrameworkFloor takes the real provider's and resource's schemas once,
// without their validators, plan modifiers and defaults.
func newFrameworkFloor(ctx context.Context) provider.Provider {
	var ps provider.SchemaResponse
	bifrostprovider.New("bench")().Schema(ctx, provider.SchemaRequest{}, &ps)
	key := providerkey.NewResource()
	var rs resource.SchemaResponse
	key.Schema(ctx, resource.SchemaRequest{}, &rs)
	res := floorResource{schema: withoutBehaviour(rs.Schema)}
	newResource := func() resource.Resource { return &res }
	// The framework handles the identity of a resource that has one on
	// every call, whether Terraform asks for it or not: so does the floor
	// when the real resource has one.
	if withID, ok := key.(resource.ResourceWithIdentity); ok {
		var is resource.IdentitySchemaResponse
		withID.IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &is)
		withIdentity := floorResourceWithIdentity{floorResource: res, identity: is.IdentitySchema}
		newResource = func() resource.Resource { return &withIdentity }
	}
	return &floorProvider{providerSchema: withoutBehaviour(ps.Schema), resource: newResource}
}

func (p *floorProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName, resp.Version = "bifrost", "bench"
}

func (p *floorProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = p.providerSchema
}

func (p *floorProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (p *floorProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{p.resource}
}

func (p *floorProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

// floorResource is the framework floor's bifrost_provider_key.
type floorResource struct {
	schema schema.Schema
}

func (r *floorResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_provider_key"
}

func (r *floorResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = r.schema
}

func (r *floorResource) Create(_ context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	r.store(req.Plan.Raw, &resp.State.Raw, &resp.Diagnostics)
}

// Read keeps the state the framework has already put in the response.
func (r *floorResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

func (r *floorResource) Update(_ context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.store(req.Plan.Raw, &resp.State.Raw, &resp.Diagnostics)
}

// Delete does nothing: the framework removes the resource from the state.
func (r *floorResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

// store sets *state to plan with every unknown value null: what a provider
// with nothing to compute stores.
func (r *floorResource) store(plan tftypes.Value, state *tftypes.Value, diags *diag.Diagnostics) {
	v, err := unknownsToNull(plan)
	if err != nil {
		diags.AddError("Cannot store the plan", err.Error())
		return
	}
	*state = v
}

// unknownsToNull returns v with every unknown value, at any depth, null.
func unknownsToNull(v tftypes.Value) (tftypes.Value, error) {
	return tftypes.Transform(v, func(_ *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if !v.IsKnown() {
			return tftypes.NewValue(v.Type(), nil), nil
		}
		return v, nil
	})
}

// floorResourceWithIdentity is floorResource with the real resource's
// identity schema; its identity is the state's attributes of the same
// names, set on every create, read and update (the framework requires one
// after each).
type floorResourceWithIdentity struct {
	floorResource
	identity identityschema.Schema
}

var _ resource.ResourceWithIdentity = (*floorResourceWithIdentity)(nil)

func (r *floorResourceWithIdentity) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = r.identity
}

func (r *floorResourceWithIdentity) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	r.floorResource.Create(ctx, req, resp)
	if resp.Identity != nil && !resp.Diagnostics.HasError() {
		r.setIdentity(ctx, resp.State.Raw, &resp.Identity.Raw, &resp.Diagnostics)
	}
}

func (r *floorResourceWithIdentity) Read(ctx context.Context, _ resource.ReadRequest, resp *resource.ReadResponse) {
	if resp.Identity != nil {
		r.setIdentity(ctx, resp.State.Raw, &resp.Identity.Raw, &resp.Diagnostics)
	}
}

func (r *floorResourceWithIdentity) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.floorResource.Update(ctx, req, resp)
	if resp.Identity != nil && !resp.Diagnostics.HasError() {
		r.setIdentity(ctx, resp.State.Raw, &resp.Identity.Raw, &resp.Diagnostics)
	}
}

// setIdentity sets *identity to the attributes of state named as the
// identity's (null where the state has none of that name and type).
func (r *floorResourceWithIdentity) setIdentity(ctx context.Context, state tftypes.Value, identity *tftypes.Value,
	diags *diag.Diagnostics,
) {
	typ, ok := r.identity.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		diags.AddError("Cannot set the identity", "the identity schema is not an object")
		return
	}
	var attrs map[string]tftypes.Value
	if err := state.As(&attrs); err != nil {
		diags.AddError("Cannot set the identity", err.Error())
		return
	}
	vals := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for name, t := range typ.AttributeTypes {
		if v, ok := attrs[name]; ok && v.Type().Equal(t) {
			vals[name] = v
		} else {
			vals[name] = tftypes.NewValue(t, nil)
		}
	}
	*identity = tftypes.NewValue(typ, vals)
}

// behaviourFields are the fields of the framework's schema structs that
// make a provider do work beyond what the schema's types and flags
// require: they are dropped from the framework floor's schemas.
var behaviourFields = []string{"Validators", "PlanModifiers", "Default"}

// nestingFields are the fields through which schema structs hold other
// attributes and blocks.
var nestingFields = []string{"Attributes", "Blocks", "NestedObject"}

// withoutBehaviour returns a copy of a schema of any of the framework's
// schema packages (resource, provider, ...) whose attributes, nested
// attributes, blocks and nested objects, at any depth, have no validators,
// plan modifiers or defaults; types, Required/Optional/Computed, Sensitive,
// WriteOnly and descriptions are kept.
func withoutBehaviour[S any](s S) S {
	v, ok := stripBehaviour(reflect.ValueOf(s)).Interface().(S)
	if !ok {
		panic(fmt.Sprintf("withoutBehaviour: %T changed type", s))
	}
	return v
}

func stripBehaviour(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		out := reflect.New(v.Type()).Elem()
		out.Set(stripBehaviour(v.Elem()))
		return out
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			out.SetMapIndex(it.Key(), stripBehaviour(it.Value()))
		}
		return out
	case reflect.Struct:
		out := reflect.New(v.Type()).Elem()
		out.Set(v)
		for i := range v.NumField() {
			switch f := v.Type().Field(i); {
			case !f.IsExported():
			case slices.Contains(behaviourFields, f.Name):
				out.Field(i).SetZero()
			case slices.Contains(nestingFields, f.Name):
				out.Field(i).Set(stripBehaviour(v.Field(i)))
			}
		}
		return out
	default:
		return v
	}
}
