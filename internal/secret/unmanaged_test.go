package secret

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// unmanagedType is a resource with a root secret (token, token_wo), a block
// with one (cfg.key, cfg.key_wo), a plain attribute and a set of names.
var unmanagedType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{
	"token": tftypes.String, "token_wo": tftypes.String, "weight": tftypes.Number,
	"models": tftypes.Set{ElementType: tftypes.String},
	"cfg":    tftypes.Object{AttributeTypes: map[string]tftypes.Type{"key": tftypes.String, "key_wo": tftypes.String, "url": tftypes.String}},
}}

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

// resourceValue builds a value of unmanagedType from strings, nil (null)
// and tftypes.UnknownValue.
func resourceValue(token, tokenWO, key, keyWO, url any, weight int) tftypes.Value {
	s := func(v any) tftypes.Value { return tftypes.NewValue(tftypes.String, v) }
	cfgType := unmanagedType.AttributeTypes["cfg"]
	return tftypes.NewValue(unmanagedType, map[string]tftypes.Value{
		"token": s(token), "token_wo": s(tokenWO), "weight": tftypes.NewValue(tftypes.Number, weight),
		"models": tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{str("*")}),
		"cfg":    tftypes.NewValue(cfgType, map[string]tftypes.Value{"key": s(key), "key_wo": s(keyWO), "url": s(url)}),
	})
}

func p(s string) any { return s }

var unmanagedPaths = []*tftypes.AttributePath{
	tftypes.NewAttributePath().WithAttributeName("token"),
	tftypes.NewAttributePath().WithAttributeName("cfg").WithAttributeName("key"),
}

func valueAt(t *testing.T, v tftypes.Value, path *tftypes.AttributePath) tftypes.Value {
	t.Helper()
	got, ok := at(v, path)
	if !ok {
		t.Fatalf("no value at %s", path)
	}
	return got
}

func TestPlainPaths(t *testing.T) {
	s := schema.Schema{
		Attributes: Merge(WriteOnlyAttributes("token", schema.StringAttribute{Optional: true, Sensitive: true}, ""), map[string]schema.Attribute{
			"plain": schema.StringAttribute{Optional: true},
			"nested": schema.SingleNestedAttribute{Optional: true,
				Attributes: WriteOnlyAttributes("password", schema.StringAttribute{Optional: true, Sensitive: true}, "")},
		}),
		Blocks: map[string]schema.Block{
			"cfg": schema.SingleNestedBlock{Attributes: Merge(WriteOnlyAttributes("key", schema.StringAttribute{Optional: true}, ""),
				map[string]schema.Attribute{"url": schema.StringAttribute{Optional: true}})},
		},
	}
	var got []string
	for _, p := range PlainPaths(s) {
		got = append(got, Path(p).String())
	}
	if want := "nested.password token cfg.key"; strings.Join(got, " ") != want {
		t.Errorf("PlainPaths = %v, want %s", got, want)
	}
	if a := s.Attributes["token"].(schema.StringAttribute); !a.Computed {
		t.Error("the plain form of a secret with a write-only form must be Computed, so that null can keep what Bifrost holds")
	}
}

func TestPlanUnmanaged(t *testing.T) {
	mask := "sk-t************************mnop"
	tokenPath, keyPath := unmanagedPaths[0], unmanagedPaths[1]
	t.Run("import: null secrets keep the state's masks", func(t *testing.T) {
		prior := resourceValue(p(mask), nil, p(mask), nil, p("u"), 1)
		config := resourceValue(nil, nil, nil, nil, p("u"), 1)
		plan := resourceValue(tftypes.UnknownValue, nil, tftypes.UnknownValue, nil, p("u"), 1)
		got, unmanaged, err := PlanUnmanaged(prior, config, plan, unmanagedPaths)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(prior) {
			t.Errorf("plan = %v, want the prior state %v", got, prior)
		}
		if len(unmanaged) != 2 || !unmanaged[0].Held || unmanaged[0].Prior != mask || !unmanaged[1].Path.Equal(keyPath) {
			t.Errorf("unmanaged = %+v", unmanaged)
		}
	})
	t.Run("create: null secrets are planned null, not unknown", func(t *testing.T) {
		config := resourceValue(nil, nil, nil, nil, nil, 1)
		plan := resourceValue(tftypes.UnknownValue, nil, tftypes.UnknownValue, nil, nil, 1)
		got, unmanaged, err := PlanUnmanaged(tftypes.NewValue(unmanagedType, nil), config, plan, unmanagedPaths)
		if err != nil {
			t.Fatal(err)
		}
		if v := valueAt(t, got, tokenPath); !v.IsKnown() || !v.IsNull() {
			t.Errorf("token planned %v, want null", v)
		}
		if v := valueAt(t, got, keyPath); !v.IsKnown() || !v.IsNull() {
			t.Errorf("cfg.key planned %v, want null", v)
		}
		if len(unmanaged) != 2 || unmanaged[0].Held || unmanaged[1].Held {
			t.Errorf("unmanaged = %+v, want two, none held", unmanaged)
		}
	})
	t.Run("configured and write-only secrets are managed", func(t *testing.T) {
		prior := resourceValue(p(mask), nil, p(mask), nil, nil, 1)
		config := resourceValue(p("sk-new"), nil, nil, p("wo"), nil, 1)
		plan := resourceValue(p("sk-new"), nil, tftypes.UnknownValue, nil, nil, 1)
		got, unmanaged, err := PlanUnmanaged(prior, config, plan, unmanagedPaths)
		if err != nil {
			t.Fatal(err)
		}
		if len(unmanaged) != 0 {
			t.Errorf("unmanaged = %+v, want none", unmanaged)
		}
		if v := valueAt(t, got, tokenPath); !v.Equal(str("sk-new")) {
			t.Errorf("token planned %v, want the configured value", v)
		}
		if v := valueAt(t, got, keyPath); !v.IsKnown() || !v.IsNull() {
			t.Errorf("cfg.key written from key_wo planned %v, want null", v)
		}
	})
}

func TestRefuseMaskedWrite(t *testing.T) {
	mask := "sk-t************************mnop"
	prior := resourceValue(p(mask), nil, p("<REDACTED>"), nil, p("http://x"), 1)
	errorsOf := func(plan tftypes.Value) diag.Diagnostics {
		var diags diag.Diagnostics
		RefuseMaskedWrite(&diags, prior, plan, "this key")
		return diags
	}
	if d := errorsOf(prior); d.HasError() {
		t.Errorf("no write planned, yet refused: %v", d)
	}
	d := errorsOf(resourceValue(p(mask), nil, p("<REDACTED>"), nil, p("http://x"), 2))
	if d.ErrorsCount() != 2 {
		t.Fatalf("a write with two masked secrets: %d errors, want 2: %v", d.ErrorsCount(), d)
	}
	for i, want := range []string{"cfg.key", "token"} { // walked in attribute order
		e := d.Errors()[i].(diag.DiagnosticWithPath)
		if e.Path().String() != want {
			t.Errorf("error %d at %s, want %s", i, e.Path(), want)
		}
		if strings.Contains(e.Detail(), mask) {
			t.Errorf("the error repeats the mask: %s", e.Detail())
		}
	}
	if !strings.Contains(d.Errors()[1].Detail(), "set token, or token_wo with token_wo_version, to the real value") {
		t.Errorf("error detail does not name the attributes to set: %s", d.Errors()[1].Detail())
	}
	if !strings.Contains(d.Errors()[0].Detail(), "a placeholder") {
		t.Errorf("a placeholder described as a mask: %s", d.Errors()[0].Detail())
	}
	// "*" in a set is every model, not a mask.
	if d := errorsOf(resourceValue(p("sk-real-0123456789"), nil, p("k"), nil, p("http://x"), 2)); d.HasError() {
		t.Errorf("a write without masks refused: %v", d)
	}
}

func TestWarnUnmanaged(t *testing.T) {
	var diags diag.Diagnostics
	WarnUnmanaged(&diags, []Unmanaged{
		{Path: unmanagedPaths[0], Prior: "sk-t************************mnop", Held: true},
		{Path: unmanagedPaths[1]}, // nothing held: nothing to say
	}, "this key")
	if diags.WarningsCount() != 1 || diags.HasError() {
		t.Fatalf("want one warning, got %v", diags)
	}
	w := diags.Warnings()[0]
	if w.(diag.DiagnosticWithPath).Path().String() != "token" || !strings.Contains(w.Detail(), "neither token nor token_wo") ||
		strings.Contains(w.Detail(), "mnop") {
		t.Errorf("warning: %s: %s", w.Summary(), w.Detail())
	}
}
