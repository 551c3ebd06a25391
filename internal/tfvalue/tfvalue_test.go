package tfvalue_test

import (
	"context"
	"math/big"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/tfvalue"
)

type inner struct {
	Name types.String `tfsdk:"name"`
}

type model struct {
	Weight types.Float64 `tfsdk:"weight"`
	Models types.Set     `tfsdk:"models"`
	Block  *inner        `tfsdk:"block"`
	List   []inner       `tfsdk:"list"`
}

func base() model {
	var diags diag.Diagnostics
	return model{
		Weight: types.Float64Value(0.5),
		Models: tfvalue.StringSet([]string{"a", "b"}, &diags),
		Block:  &inner{Name: types.StringValue("x")},
		List:   []inner{{Name: types.StringValue("y")}},
	}
}

func TestModelsEqual(t *testing.T) {
	var diags diag.Diagnostics
	// The same number as decoded from state: another precision.
	decoded, err := basetypes.Float64Type{}.ValueFromTerraform(context.Background(),
		tftypes.NewValue(tftypes.Number, new(big.Float).SetPrec(512).SetFloat64(0.5)))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		change func(*model)
		equal  bool
	}{
		{"same values", func(*model) {}, true},
		{"same number, another precision", func(m *model) { m.Weight = decoded.(types.Float64) }, true},
		{"set in another order", func(m *model) { m.Models = tfvalue.StringSet([]string{"b", "a"}, &diags) }, true},
		{"number changed", func(m *model) { m.Weight = types.Float64Value(1) }, false},
		{"set element changed", func(m *model) { m.Models = tfvalue.StringSet([]string{"a"}, &diags) }, false},
		{"nested value changed", func(m *model) { m.Block = &inner{Name: types.StringValue("z")} }, false},
		{"nested block removed", func(m *model) { m.Block = nil }, false},
		{"list element added", func(m *model) { m.List = append(m.List, inner{Name: types.StringNull()}) }, false},
		{"list element changed", func(m *model) { m.List = []inner{{Name: types.StringNull()}} }, false},
		{"null and empty differ", func(m *model) { m.Models = types.SetNull(types.StringType) }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := base(), base()
			tc.change(&b)
			if got := tfvalue.ModelsEqual(a, b); got != tc.equal {
				t.Errorf("ModelsEqual = %v, want %v", got, tc.equal)
			}
		})
	}
}

func TestStringSetAndOrZero(t *testing.T) {
	var diags diag.Diagnostics
	if s := tfvalue.StringSet(nil, &diags); s.IsNull() || len(s.Elements()) != 0 {
		t.Errorf("StringSet(nil) = %v, want an empty set", s)
	}
	if s := tfvalue.StringSet([]string{"a", "b"}, &diags); !s.Equal(types.SetValueMust(types.StringType,
		[]attr.Value{types.StringValue("b"), types.StringValue("a")})) {
		t.Errorf("StringSet(a, b) = %v", s)
	}
	if got := tfvalue.OrZero[int](nil); got != 0 {
		t.Errorf("OrZero(nil) = %d", got)
	}
	n := 3
	if got := tfvalue.OrZero(&n); got != 3 {
		t.Errorf("OrZero(&3) = %d", got)
	}
}
