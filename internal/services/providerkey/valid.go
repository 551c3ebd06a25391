package providerkey

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Valid answers Terraform's ValidateResourceConfig for a valid
// configuration of a key without the framework, whose validation fetches
// every attribute, also those of absent blocks, by its path from the root
// of the configuration: about 1 ms of CPU per key and call, twice per
// created key.
//
// It runs what the framework runs, on values taken in one pass: the checks
// of required, read-only and write-only attributes, every validator of
// every attribute and block (with null values inside absent blocks, as the
// framework calls them) and the resource's ValidateConfig. When all of
// them pass, the answer is the framework's: no diagnostics. When any of
// them has something to say, or the configuration has what it does not
// walk (a block with a list of blocks inside, the timeouts block, a map of
// objects), it returns false and the framework validates, so diagnostics
// always come from the framework. TestValidMatchesFramework checks both.
func Valid(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, bool) {
	if req.TypeName != TypeName || req.Config == nil {
		return nil, false
	}
	_, v, config, ok := fastConfig(req.Config)
	if !ok || !config["timeouts"].IsNull() {
		return nil, false
	}
	w := validWalk{
		ctx:    ctx,
		config: tfsdk.Config{Schema: keySchema(), Raw: v},
		caps:   req.ClientCapabilities != nil && req.ClientCapabilities.WriteOnlyAttributesAllowed,
	}
	s := keySchema()
	for name, a := range s.Attributes {
		if !w.attribute(a, config[name], path.Root(name)) {
			return nil, false
		}
	}
	for name, b := range s.Blocks {
		if !w.block(b, config[name], path.Root(name)) {
			return nil, false
		}
	}
	var resp resource.ValidateConfigResponse
	(&keyResource{}).ValidateConfig(ctx, resource.ValidateConfigRequest{Config: w.config}, &resp)
	if len(resp.Diagnostics) > 0 {
		return nil, false
	}
	return &tfprotov6.ValidateResourceConfigResponse{}, true
}

// validWalk checks the attributes and blocks of one configuration; each
// method reports whether the framework would have nothing to say.
type validWalk struct {
	ctx    context.Context
	config tfsdk.Config
	caps   bool // write-only attributes allowed
}

func (w validWalk) attribute(a schema.Attribute, v tftypes.Value, p path.Path) bool {
	if (a.IsRequired() && v.IsNull()) ||
		(a.IsComputed() && !a.IsOptional() && !v.IsNull()) ||
		(a.IsWriteOnly() && !w.caps && !v.IsNull()) ||
		(a.GetDeprecationMessage() != "" && !v.IsNull()) {
		return false
	}
	value, err := a.GetType().ValueFromTerraform(w.ctx, v)
	if err != nil {
		return false
	}
	ctx, caps, pe := w.ctx, validator.ValidateSchemaClientCapabilities{WriteOnlyAttributesAllowed: w.caps}, p.Expression()
	switch a := a.(type) {
	case schema.StringAttribute:
		sv, ok := value.(basetypes.StringValue)
		return ok && quiet(a.Validators, validator.StringRequest{Config: w.config, ConfigValue: sv, Path: p, PathExpression: pe, ClientCapabilities: caps},
			func(v validator.String, req validator.StringRequest) diag.Diagnostics {
				var resp validator.StringResponse
				v.ValidateString(ctx, req, &resp)
				return resp.Diagnostics
			})
	case schema.BoolAttribute:
		bv, ok := value.(basetypes.BoolValue)
		return ok && quiet(a.Validators, validator.BoolRequest{Config: w.config, ConfigValue: bv, Path: p, PathExpression: pe, ClientCapabilities: caps},
			func(v validator.Bool, req validator.BoolRequest) diag.Diagnostics {
				var resp validator.BoolResponse
				v.ValidateBool(ctx, req, &resp)
				return resp.Diagnostics
			})
	case schema.Int64Attribute:
		iv, ok := value.(basetypes.Int64Value)
		return ok && quiet(a.Validators, validator.Int64Request{Config: w.config, ConfigValue: iv, Path: p, PathExpression: pe, ClientCapabilities: caps},
			func(v validator.Int64, req validator.Int64Request) diag.Diagnostics {
				var resp validator.Int64Response
				v.ValidateInt64(ctx, req, &resp)
				return resp.Diagnostics
			})
	case schema.Float64Attribute:
		fv, ok := value.(basetypes.Float64Value)
		return ok && quiet(a.Validators, validator.Float64Request{Config: w.config, ConfigValue: fv, Path: p, PathExpression: pe, ClientCapabilities: caps},
			func(v validator.Float64, req validator.Float64Request) diag.Diagnostics {
				var resp validator.Float64Response
				v.ValidateFloat64(ctx, req, &resp)
				return resp.Diagnostics
			})
	case schema.SetAttribute:
		sv, ok := value.(basetypes.SetValue)
		return ok && quiet(a.Validators, validator.SetRequest{Config: w.config, ConfigValue: sv, Path: p, PathExpression: pe, ClientCapabilities: caps},
			func(v validator.Set, req validator.SetRequest) diag.Diagnostics {
				var resp validator.SetResponse
				v.ValidateSet(ctx, req, &resp)
				return resp.Diagnostics
			})
	case schema.ListAttribute:
		lv, ok := value.(basetypes.ListValue)
		return ok && w.list(a.Validators, lv, p)
	case schema.MapAttribute:
		mv, ok := value.(basetypes.MapValue)
		return ok && w.mapValue(a.Validators, mv, p)
	case schema.MapNestedAttribute:
		// Only absent: the framework then has no element to walk.
		mv, ok := value.(basetypes.MapValue)
		return ok && v.IsNull() && w.mapValue(a.Validators, mv, p)
	default:
		return false
	}
}

func (w validWalk) list(validators []validator.List, lv basetypes.ListValue, p path.Path) bool {
	caps := validator.ValidateSchemaClientCapabilities{WriteOnlyAttributesAllowed: w.caps}
	return quiet(validators, validator.ListRequest{Config: w.config, ConfigValue: lv, Path: p, PathExpression: p.Expression(), ClientCapabilities: caps},
		func(v validator.List, req validator.ListRequest) diag.Diagnostics {
			var resp validator.ListResponse
			v.ValidateList(w.ctx, req, &resp)
			return resp.Diagnostics
		})
}

func (w validWalk) mapValue(validators []validator.Map, mv basetypes.MapValue, p path.Path) bool {
	caps := validator.ValidateSchemaClientCapabilities{WriteOnlyAttributesAllowed: w.caps}
	return quiet(validators, validator.MapRequest{Config: w.config, ConfigValue: mv, Path: p, PathExpression: p.Expression(), ClientCapabilities: caps},
		func(v validator.Map, req validator.MapRequest) diag.Diagnostics {
			var resp validator.MapResponse
			v.ValidateMap(w.ctx, req, &resp)
			return resp.Diagnostics
		})
}

// block walks a single nested block; an absent block's attributes and
// blocks are walked with null values, as the framework does.
func (w validWalk) block(b schema.Block, v tftypes.Value, p path.Path) bool {
	sb, ok := b.(schema.SingleNestedBlock)
	if !ok || !v.IsKnown() || (len(sb.Blocks) > 0 && !v.IsNull()) {
		return false
	}
	if len(sb.Validators) > 0 {
		value, err := sb.Type().ValueFromTerraform(w.ctx, v)
		ov, ok := value.(basetypes.ObjectValue)
		caps := validator.ValidateSchemaClientCapabilities{WriteOnlyAttributesAllowed: w.caps}
		if err != nil || !ok || !quiet(sb.Validators, validator.ObjectRequest{Config: w.config, ConfigValue: ov, Path: p, PathExpression: p.Expression(), ClientCapabilities: caps},
			func(v validator.Object, req validator.ObjectRequest) diag.Diagnostics {
				var resp validator.ObjectResponse
				v.ValidateObject(w.ctx, req, &resp)
				return resp.Diagnostics
			}) {
			return false
		}
	}
	objType, ok := v.Type().(tftypes.Object)
	if !ok {
		return false
	}
	attrs := map[string]tftypes.Value{}
	if !v.IsNull() {
		var err error
		if attrs, err = objectAttrs(v); err != nil {
			return false
		}
	}
	for name, a := range sb.Attributes {
		av, ok := attrs[name]
		if !ok {
			av = tftypes.NewValue(objType.AttributeTypes[name], nil)
		}
		if !w.attribute(a, av, p.AtName(name)) {
			return false
		}
	}
	for name, nb := range sb.Blocks { // only in an absent block
		null := tftypes.NewValue(objType.AttributeTypes[name], nil)
		switch nb := nb.(type) {
		case schema.SingleNestedBlock:
			if !w.block(nb, null, p.AtName(name)) {
				return false
			}
		case schema.ListNestedBlock:
			if len(nb.Validators) == 0 {
				continue
			}
			value, err := nb.Type().ValueFromTerraform(w.ctx, null)
			lv, ok := value.(basetypes.ListValue)
			if err != nil || !ok || !w.list(nb.Validators, lv, p.AtName(name)) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// quiet calls validators on a request as the framework does and reports
// whether none of them had anything to say.
func quiet[V, Req any](validators []V, req Req, call func(V, Req) diag.Diagnostics) bool {
	for _, v := range validators {
		if len(call(v, req)) > 0 {
			return false
		}
	}
	return true
}
