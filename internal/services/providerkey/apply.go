package providerkey

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/tfmodel"
)

// Apply answers Terraform's ApplyResourceChange for a key being created
// without the framework, whose conversions around Create (decoding, block
// normalisation, semantic equality, write-only nulling, encoding, each a
// walk of the schema per attribute) made up two thirds of a create's
// provider CPU: BenchmarkRPC/create went from 3.1 to 1.1 ms.
//
// It runs the resource's own create and returns what the framework returns
// for this schema: the state with write-only attributes null and null list
// blocks empty, the identity, the private state in the framework's format
// (a JSON object of base64 JSON values) and the diagnostics. The schema has
// no semantic equality types, so that step has nothing to do.
//
// It declines (false), before any request, and leaves the call to the
// framework for an update or a destroy, before the provider is configured
// (client nil), and when a block that Plan leaves to the framework is
// configured (the only list block is in one of those).
// TestApplyMatchesFramework compares its answers with the framework's.
func Apply(ctx context.Context, client *bifrost.Client, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, bool) {
	if req.TypeName != TypeName || client == nil || req.PriorState == nil || req.PlannedState == nil || req.Config == nil {
		return nil, false
	}
	info, configValue, _, ok := fastConfig(req.Config)
	if !ok {
		return nil, false
	}
	prior, err := req.PriorState.Unmarshal(info.state)
	if err != nil || !prior.IsNull() {
		return nil, false
	}
	// A block fastConfig found null in the configuration is null in the
	// plan too: none of them is computed.
	planned, err := req.PlannedState.Unmarshal(info.state)
	if err != nil || planned.IsNull() || !planned.IsKnown() {
		return nil, false
	}

	var diags diag.Diagnostics
	var plan, config keyModel
	diags.Append(getKey(ctx, planned, &plan)...)
	diags.Append(getKey(ctx, configValue, &config)...)
	if diags.HasError() {
		return nil, false
	}

	resp := &tfprotov6.ApplyResourceChangeResponse{}
	private := privateData{}
	newState := tftypes.NewValue(info.state, nil)
	identity := info.nullIdentity
	if req.PlannedIdentity != nil && req.PlannedIdentity.IdentityData != nil {
		identity = *req.PlannedIdentity.IdentityData // the framework's answer when Create fails
	}
	state, ok := (&keyResource{client: client}).create(ctx, plan, config, private, &diags)
	if ok {
		if identity, err = identityValue(ctx, info, state); err != nil {
			diags.AddError("Cannot write the key's identity", "This is a bug in the provider: "+err.Error())
		}
		if newState, err = stateValue(ctx, info, state); err != nil {
			diags.AddError("Cannot write the key's state", "This is a bug in the provider: "+err.Error())
		}
	}
	encoded, err := tfprotov6.NewDynamicValue(info.state, newState)
	if err != nil {
		diags.AddError("Cannot write the key's state", "This is a bug in the provider: "+err.Error())
	}
	resp.NewState = &encoded
	resp.NewIdentity = &tfprotov6.ResourceIdentityData{IdentityData: &identity}
	if len(private) > 0 {
		resp.Private, _ = json.Marshal(map[string][]byte(private))
	}
	resp.Diagnostics = protoDiagnostics(diags)
	return resp, true
}

// identityValue is the identity of the key of state m.
func identityValue(ctx context.Context, info *fastPlanInfo, m keyModel) (tfprotov6.DynamicValue, error) {
	v, err := tfmodel.Set(ctx, info.identityType, identityModel{ProviderName: m.ProviderName, ID: m.ID})
	if err != nil {
		return tfprotov6.DynamicValue{}, err
	}
	return tfprotov6.NewDynamicValue(v.Type(), v)
}

// stateValue is the state value of m as the framework sends it: write-only
// attributes null, null list blocks empty.
func stateValue(ctx context.Context, info *fastPlanInfo, m keyModel) (tftypes.Value, error) {
	v, err := tfmodel.Set(ctx, keyType(), m)
	if err != nil {
		return v, err
	}
	attrs, err := objectAttrs(v)
	if err != nil {
		return v, err
	}
	info.nullWriteOnly(attrs)
	return reifyNullListBlocks(tftypes.NewValue(info.state, attrs), keySchema().Blocks)
}

// reifyNullListBlocks replaces the null list blocks in v (an object with
// these blocks) by empty lists, as the framework does to every value it
// sends: Terraform represents an absent list block as an empty list.
func reifyNullListBlocks(v tftypes.Value, blocks map[string]schema.Block) (tftypes.Value, error) {
	if v.IsNull() || !v.IsKnown() || len(blocks) == 0 {
		return v, nil
	}
	attrs, err := objectAttrs(v)
	if err != nil {
		return v, err
	}
	for name, b := range blocks {
		bv := attrs[name]
		switch b := b.(type) {
		case schema.SingleNestedBlock:
			attrs[name], err = reifyNullListBlocks(bv, b.Blocks)
		case schema.ListNestedBlock:
			if bv.IsNull() {
				attrs[name] = tftypes.NewValue(bv.Type(), []tftypes.Value{})
				continue
			}
			var elems []tftypes.Value
			if err = bv.As(&elems); err != nil {
				return v, err
			}
			elems = slices.Clone(elems) // As hands out the value's own slice
			for i := range elems {
				if elems[i], err = reifyNullListBlocks(elems[i], b.NestedObject.Blocks); err != nil {
					return v, err
				}
			}
			attrs[name] = tftypes.NewValue(bv.Type(), elems)
		}
		if err != nil {
			return v, err
		}
	}
	return tftypes.NewValue(v.Type(), attrs), nil
}

// privateData is the provider's private state of one call, as the
// framework's keeps it: keys to JSON values, an empty value removing the key.
type privateData map[string][]byte

func (p privateData) GetKey(_ context.Context, key string) ([]byte, diag.Diagnostics) {
	return p[key], nil
}

func (p privateData) SetKey(_ context.Context, key string, value []byte) diag.Diagnostics {
	var diags diag.Diagnostics
	switch {
	case strings.HasPrefix(key, "."):
		diags.AddError("Restricted Resource Private State Namespace", "Using a period ('.') as a prefix for a key used in private state is not allowed.")
	case len(value) == 0:
		delete(p, key)
	case !utf8.Valid(value) || !json.Valid(value):
		diags.AddError("JSON Invalid", "Values stored in private state must be valid JSON.")
	default:
		p[key] = value
	}
	return diags
}

// protoDiagnostics converts diagnostics as the framework does.
func protoDiagnostics(diags diag.Diagnostics) []*tfprotov6.Diagnostic {
	var out []*tfprotov6.Diagnostic
	for _, d := range diags {
		pd := &tfprotov6.Diagnostic{Summary: d.Summary(), Detail: d.Detail(), Severity: tfprotov6.DiagnosticSeverityInvalid}
		switch d.Severity() {
		case diag.SeverityError:
			pd.Severity = tfprotov6.DiagnosticSeverityError
		case diag.SeverityWarning:
			pd.Severity = tfprotov6.DiagnosticSeverityWarning
		}
		if dp, ok := d.(diag.DiagnosticWithPath); ok {
			pd.Attribute = attributePath(dp.Path())
		}
		out = append(out, pd)
	}
	return out
}

// attributePath converts the steps the resource's diagnostics use; a path
// with another kind of step is left out.
func attributePath(p path.Path) *tftypes.AttributePath {
	var steps []tftypes.AttributePathStep
	for _, s := range p.Steps() {
		switch s := s.(type) {
		case path.PathStepAttributeName:
			steps = append(steps, tftypes.AttributeName(string(s)))
		case path.PathStepElementKeyInt:
			steps = append(steps, tftypes.ElementKeyInt(int64(s)))
		case path.PathStepElementKeyString:
			steps = append(steps, tftypes.ElementKeyString(string(s)))
		default:
			return nil
		}
	}
	return tftypes.NewAttributePathWithSteps(steps)
}
