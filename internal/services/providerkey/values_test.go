package providerkey_test

import (
	"maps"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Values for the protocol-level tests of bifrost_provider_key.

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

func num(f float64) tftypes.Value { return tftypes.NewValue(tftypes.Number, f) }

func strSet(ss ...string) tftypes.Value {
	vs := []tftypes.Value{}
	for _, s := range ss {
		vs = append(vs, str(s))
	}
	return tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, vs)
}

func strMap(kv map[string]string) tftypes.Value {
	vs := map[string]tftypes.Value{}
	for k, v := range kv {
		vs[k] = str(v)
	}
	return tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, vs)
}

// blockValue is the value of the block (or object attribute) name of the
// resource type typ with the given attributes, the others null.
func blockValue(typ tftypes.Type, name string, attrs map[string]tftypes.Value) tftypes.Value {
	ot := typ.(tftypes.Object).AttributeTypes[name].(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for n, at := range ot.AttributeTypes {
		vals[n] = tftypes.NewValue(at, nil)
	}
	maps.Copy(vals, attrs)
	return tftypes.NewValue(ot, vals)
}

// nullValue is the null value of typ, as Terraform sends for an absent
// state or configuration.
func nullValue(t testing.TB, typ tftypes.Type) tfprotov6.DynamicValue {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil))
	if err != nil {
		t.Fatal(err)
	}
	return dv
}
