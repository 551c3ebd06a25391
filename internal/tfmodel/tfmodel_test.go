package tfmodel

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The conversions themselves are checked against the framework's on the
// key resource's whole schema (providerkey.TestCodecMatchesFramework); these
// are the errors that a model out of line with its schema gets.

type inner struct {
	S types.String `tfsdk:"s"`
}

type model struct {
	Name  types.String `tfsdk:"name"`
	Block *inner       `tfsdk:"block"`
	List  []inner      `tfsdk:"list"`
}

var innerType = types.ObjectType{AttrTypes: map[string]attr.Type{"s": types.StringType}}

var modelType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"name":  types.StringType,
	"block": innerType,
	"list":  types.ListType{ElemType: innerType},
}}

func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	in := model{Name: types.StringValue("n"), Block: &inner{S: types.StringNull()}, List: []inner{{S: types.StringValue("a")}, {S: types.StringUnknown()}}}
	v, err := Set(ctx, modelType, in)
	if err != nil {
		t.Fatal(err)
	}
	var out model
	if err := Get(ctx, modelType, v, &out); err != nil {
		t.Fatal(err)
	}
	if !out.Name.Equal(in.Name) || out.Block == nil || !out.Block.S.IsNull() || len(out.List) != 2 || out.List[0].S.ValueString() != "a" || !out.List[1].S.IsUnknown() {
		t.Fatalf("round trip: %+v", out)
	}
	// nil pointer and nil slice are null.
	v, err = Set(ctx, modelType, model{Name: types.StringValue("n")})
	if err != nil {
		t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		t.Fatal(err)
	}
	if !attrs["block"].IsNull() || !attrs["list"].IsNull() {
		t.Fatalf("nil block or list not null: %s", v)
	}
	out = model{}
	if err := Get(ctx, modelType, v, &out); err != nil || out.Block != nil || out.List != nil {
		t.Fatalf("null block or list not nil: %+v %v", out, err)
	}
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	good, err := Set(ctx, modelType, model{Name: types.StringValue("n")})
	if err != nil {
		t.Fatal(err)
	}
	type untagged struct {
		Name types.String
	}
	type unsupported struct {
		Name  string  `tfsdk:"name"`
		Block *inner  `tfsdk:"block"`
		List  []inner `tfsdk:"list"`
	}
	type short struct {
		Name types.String `tfsdk:"name"`
	}
	type withSet struct {
		Set types.Set `tfsdk:"set"`
	}
	setType := types.ObjectType{AttrTypes: map[string]attr.Type{"set": types.SetType{ElemType: types.StringType}}}
	for _, tc := range []struct {
		name string
		err  func() error
		want string
	}{
		{"target not a pointer", func() error { return Get(ctx, modelType, good, model{}) }, "non-nil pointer"},
		{"null object", func() error {
			var m model
			return Get(ctx, modelType, tftypes.NewValue(modelType.TerraformType(ctx), nil), &m)
		}, "null or unknown"},
		{"field without tag", func() error {
			var m untagged
			return Get(ctx, modelType, good, &m)
		}, "no tfsdk tag"},
		{"field of a plain Go type", func() error {
			var m unsupported
			return Get(ctx, modelType, good, &m)
		}, "not supported"},
		{"fewer fields than attributes", func() error {
			var m short
			return Get(ctx, modelType, good, &m)
		}, "1 fields, the object 3 attributes"},
		{"set with fewer fields", func() error { _, err := Set(ctx, modelType, short{}); return err }, "1 fields, the object type 3"},
		{"not an object type", func() error { _, err := Set(ctx, types.StringType, model{}); return err }, "not an object type"},
		// Values tftypes.NewValue would panic on.
		{"zero set", func() error { _, err := Set(ctx, setType, withSet{}); return err }, "where the schema has"},
		{"value of another type", func() error {
			_, err := Set(ctx, setType, withSet{Set: types.SetValueMust(types.Int64Type, nil)})
			return err
		}, "where the schema has"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.err()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}
