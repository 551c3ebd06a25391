package providerkey_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// BenchmarkRPC measures the provider's own CPU and allocations per key for
// the calls Terraform makes, at the protocol level against the emulator
// (no latency): what `make bench` reports as provider CPU, broken down.
// Run: go test ./internal/services/providerkey -run '^$' -bench RPC -benchmem
func BenchmarkRPC(b *testing.B) {
	srv, err := emulator.Start(emulator.Options{Providers: []string{"openai"}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(srv.Close)
	ps := acctest.NewProtocolServer(b, srv.URL())
	typ := ps.ResourceType(typeName)
	ctx := context.Background()

	config := func(i int) tfprotov6.DynamicValue {
		return ps.Value(b, typ, map[string]tftypes.Value{
			"provider_name": str("openai"),
			"name":          str(fmt.Sprintf("rpc-bench-%d", i)),
			"value":         str(fmt.Sprintf("sk-bench-%032d", i)),
			"models":        strSet("gpt-4o-mini"),
			"weight":        num(1),
		})
	}
	nullState := nullValue(b, typ)

	check := func(name string, diags []*tfprotov6.Diagnostic, err error) {
		if err != nil || acctest.HasErrors(diags) {
			b.Fatalf("%s: %v %v", name, err, acctest.Diags(diags))
		}
	}
	validate := func(cfg *tfprotov6.DynamicValue) {
		r, err := ps.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: typeName, Config: cfg})
		check("validate", r.Diagnostics, err)
	}
	plan := func(cfg, prior, proposed *tfprotov6.DynamicValue, private []byte) *tfprotov6.PlanResourceChangeResponse {
		r, err := ps.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
			TypeName: typeName, Config: cfg, PriorState: prior, ProposedNewState: proposed, PriorPrivate: private,
		})
		check("plan", r.Diagnostics, err)
		return r
	}
	create := func(i int) *tfprotov6.ApplyResourceChangeResponse {
		cfg := config(i)
		validate(&cfg)
		planned := plan(&cfg, &nullState, &cfg, nil)
		r, err := ps.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
			TypeName: typeName, Config: &cfg, PriorState: &nullState, PlannedState: planned.PlannedState,
			PlannedPrivate: planned.PlannedPrivate,
		})
		check("apply", r.Diagnostics, err)
		return r
	}

	// Names stay unique across the runs of -count.
	created := 0
	b.Run("create", func(b *testing.B) {
		for b.Loop() {
			create(1_000_000 + created)
			created++
		}
	})

	// The calls of a refresh and plan, one by one, over existing keys.
	const keys = 100
	states := make([]*tfprotov6.ApplyResourceChangeResponse, keys)
	configs := make([]tfprotov6.DynamicValue, keys)
	raw := make([]*tfprotov6.RawState, keys)
	for i := range states {
		states[i] = create(2_000_000 + i)
		configs[i] = config(2_000_000 + i)
		v, err := states[i].NewState.Unmarshal(typ)
		if err != nil {
			b.Fatal(err)
		}
		js, err := tfjson(v)
		if err != nil {
			b.Fatal(err)
		}
		raw[i] = &tfprotov6.RawState{JSON: js}
	}
	b.Run("upgrade", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			r, err := ps.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{TypeName: typeName, RawState: raw[i%keys]})
			check("upgrade", r.Diagnostics, err)
		}
	})
	b.Run("read", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			k := i % keys
			r, err := ps.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: typeName, CurrentState: states[k].NewState, Private: states[k].Private})
			check("read", r.Diagnostics, err)
		}
	})
	b.Run("validate", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			validate(&configs[i%keys])
		}
	})
	b.Run("plan-unchanged", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			k := i % keys
			plan(&configs[k], states[k].NewState, states[k].NewState, states[k].Private)
		}
	})
	b.Run("plan-destroy", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			k := i % keys
			plan(&nullState, states[k].NewState, &nullState, states[k].Private)
		}
	})
}

// tfjson renders a state value as Terraform stores it (JSON).
func tfjson(v tftypes.Value) ([]byte, error) {
	j, err := jsonValue(v)
	if err != nil {
		return nil, err
	}
	return json.Marshal(j)
}

func jsonValue(v tftypes.Value) (any, error) {
	if v.IsNull() {
		return nil, nil
	}
	switch {
	case v.Type().Is(tftypes.String):
		var s string
		return s, v.As(&s)
	case v.Type().Is(tftypes.Bool):
		var b bool
		return b, v.As(&b)
	case v.Type().Is(tftypes.Number):
		f := new(big.Float)
		if err := v.As(&f); err != nil {
			return nil, err
		}
		return json.RawMessage(f.Text('g', -1)), nil
	case v.Type().Is(tftypes.Object{}), v.Type().Is(tftypes.Map{}):
		var m map[string]tftypes.Value
		if err := v.As(&m); err != nil {
			return nil, err
		}
		out := map[string]any{}
		for k, e := range m {
			j, err := jsonValue(e)
			if err != nil {
				return nil, err
			}
			out[k] = j
		}
		return out, nil
	default: // list, set, tuple
		var l []tftypes.Value
		if err := v.As(&l); err != nil {
			return nil, err
		}
		out := []any{}
		for _, e := range l {
			j, err := jsonValue(e)
			if err != nil {
				return nil, err
			}
			out = append(out, j)
		}
		return out, nil
	}
}
