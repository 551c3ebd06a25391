package providerkey_test

import (
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
