package providerkey

import (
	"context"
	"fmt"
	"maps"
	"math/big"
	"reflect"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestCodecMatchesFramework checks getKey and setKey against the
// framework's Get and Set on values that fill every attribute of the
// schema (known, null, unknown; lists of blocks empty, null and with
// several elements).
func TestCodecMatchesFramework(t *testing.T) {
	ctx := context.Background()
	typ := keyType().TerraformType(ctx)
	for _, fill := range []string{"known", "null", "unknown", "sparse", "sparse-odd", "null-blocks"} {
		for _, listLen := range []int{0, 2} {
			t.Run(fmt.Sprintf("%s/%d", fill, listLen), func(t *testing.T) {
				v := sample(typ, fill, listLen, 0)
				state := tfsdk.State{Schema: keySchema(), Raw: v}

				var want, got keyModel
				if d := state.Get(ctx, &want); d.HasError() {
					t.Fatalf("framework Get: %v", d)
				}
				if d := getKey(ctx, v, &got); d.HasError() {
					t.Fatalf("getKey: %v", d)
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("getKey differs from the framework's Get:\ngot  %+v\nwant %+v", got, want)
				}

				fwState := tfsdk.State{Schema: keySchema()}
				if d := fwState.Set(ctx, want); d.HasError() {
					t.Fatalf("framework Set: %v", d)
				}
				ours := tfsdk.State{Schema: keySchema()}
				if d := setKey(ctx, &ours, want); d.HasError() {
					t.Fatalf("setKey: %v", d)
				}
				if !ours.Raw.Equal(fwState.Raw) {
					t.Fatalf("setKey differs from the framework's Set:\ngot  %s\nwant %s", ours.Raw, fwState.Raw)
				}
				if fill == "known" && !ours.Raw.Equal(v) {
					t.Fatalf("setKey(getKey(v)) != v:\ngot  %s\nwant %s", ours.Raw, v)
				}
			})
		}
	}
}

// sample is a value of typ: with fill "known" every attribute set, "null"
// every attribute below the top null, "unknown" every primitive unknown,
// "sparse" every other attribute null ("sparse-odd" the others, below the
// top), "null-blocks" every list of blocks null. Lists of objects have listLen
// elements.
func sample(typ tftypes.Type, fill string, listLen, depth int) tftypes.Value {
	if depth > 0 {
		switch fill {
		case "null":
			return tftypes.NewValue(typ, nil)
		case "unknown":
			if typ.Is(tftypes.String) || typ.Is(tftypes.Number) || typ.Is(tftypes.Bool) {
				return tftypes.NewValue(typ, tftypes.UnknownValue)
			}
		}
	}
	switch t := typ.(type) {
	case tftypes.Object:
		attrs := map[string]tftypes.Value{}
		for i, name := range slices.Sorted(maps.Keys(t.AttributeTypes)) {
			at := t.AttributeTypes[name]
			if (fill == "sparse" && i%2 == 1) || (fill == "sparse-odd" && i%2 == 0 && depth > 0) {
				attrs[name] = tftypes.NewValue(at, nil)
			} else {
				attrs[name] = sample(at, fill, listLen, depth+1)
			}
		}
		return tftypes.NewValue(t, attrs)
	case tftypes.List:
		if _, isObject := t.ElementType.(tftypes.Object); isObject && fill == "null-blocks" {
			return tftypes.NewValue(t, nil)
		}
		n := listLen
		if _, isObject := t.ElementType.(tftypes.Object); !isObject {
			n = 2
		}
		var elems []tftypes.Value
		for i := range n {
			elems = append(elems, sampleElement(t.ElementType, fill, listLen, depth, i))
		}
		return tftypes.NewValue(t, elems)
	case tftypes.Set:
		return tftypes.NewValue(t, []tftypes.Value{sampleElement(t.ElementType, fill, listLen, depth, 0), sampleElement(t.ElementType, fill, listLen, depth, 1)})
	case tftypes.Map:
		return tftypes.NewValue(t, map[string]tftypes.Value{"a": sampleElement(t.ElementType, fill, listLen, depth, 0), "b": sampleElement(t.ElementType, fill, listLen, depth, 1)})
	}
	switch {
	case typ.Is(tftypes.String):
		return tftypes.NewValue(typ, fmt.Sprintf("s%d", depth))
	case typ.Is(tftypes.Number):
		return tftypes.NewValue(typ, big.NewFloat(2))
	case typ.Is(tftypes.Bool):
		return tftypes.NewValue(typ, true)
	}
	panic(fmt.Sprintf("sample: type %s", typ))
}

// sampleElement is element i of a collection: distinct known primitives, so
// that sets keep every element.
func sampleElement(typ tftypes.Type, fill string, listLen, depth, i int) tftypes.Value {
	if typ.Is(tftypes.String) && fill != "unknown" {
		return tftypes.NewValue(typ, fmt.Sprintf("e%d", i))
	}
	return sample(typ, fill, listLen, depth+1)
}
