package tfvalidate_test

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/tfvalidate"
)

func validate(v validator.String, p path.Path, value types.String) diag.Diagnostics {
	var resp validator.StringResponse
	v.ValidateString(context.Background(), validator.StringRequest{Path: p, ConfigValue: value}, &resp)
	return resp.Diagnostics
}

func TestStringSkipsNullAndUnknown(t *testing.T) {
	calls := 0
	v := tfvalidate.String("anything", func(string, path.Path, *diag.Diagnostics) { calls++ })
	for _, value := range []types.String{types.StringNull(), types.StringUnknown()} {
		if d := validate(v, path.Root("a"), value); d.HasError() || len(d) != 0 {
			t.Errorf("%s: unexpected diagnostics %v", value, d)
		}
	}
	if calls != 0 {
		t.Errorf("check called %d times for null and unknown values, want 0", calls)
	}
}

func TestStringChecksKnownValue(t *testing.T) {
	p := path.Root("block").AtName("attr")
	var gotValue string
	var gotPath path.Path
	calls := 0
	v := tfvalidate.String("anything", func(value string, p path.Path, diags *diag.Diagnostics) {
		calls++
		gotValue, gotPath = value, p
		diags.AddAttributeError(p, "Bad", "bad "+value)
	})
	d := validate(v, p, types.StringValue("x y"))
	if calls != 1 {
		t.Fatalf("check called %d times, want 1", calls)
	}
	if gotValue != "x y" || !gotPath.Equal(p) {
		t.Errorf("check got (%q, %s), want (%q, %s)", gotValue, gotPath, "x y", p)
	}
	want := diag.Diagnostics{diag.NewAttributeErrorDiagnostic(p, "Bad", "bad x y")}
	if !d.Equal(want) {
		t.Errorf("diagnostics %v, want %v", d, want)
	}
	// The empty string is a known value too.
	validate(v, p, types.StringValue(""))
	if calls != 2 || gotValue != "" {
		t.Errorf("empty string: calls %d, value %q; want 2, \"\"", calls, gotValue)
	}
}

func TestStringDescription(t *testing.T) {
	v := tfvalidate.String("a thing", func(string, path.Path, *diag.Diagnostics) {})
	ctx := context.Background()
	if got := v.Description(ctx); got != "a thing" {
		t.Errorf("Description = %q, want %q", got, "a thing")
	}
	if got := v.MarkdownDescription(ctx); got != "a thing" {
		t.Errorf("MarkdownDescription = %q, want %q", got, "a thing")
	}
}

func TestNonEmpty(t *testing.T) {
	v := tfvalidate.NonEmpty("name", "Bifrost refuses a customer without a name.")
	ctx := context.Background()
	if got := v.Description(ctx); got != "a non-empty string" {
		t.Errorf("Description = %q", got)
	}
	if got := v.MarkdownDescription(ctx); got != "a non-empty string" {
		t.Errorf("MarkdownDescription = %q", got)
	}
	p := path.Root("name")
	d := validate(v, p, types.StringValue(""))
	want := diag.Diagnostics{diag.NewAttributeErrorDiagnostic(p, "Empty name", `name is "": Bifrost refuses a customer without a name.`)}
	if !d.Equal(want) {
		t.Errorf("\"\": diagnostics %v, want %v", d, want)
	}
	for _, value := range []types.String{types.StringValue("x"), types.StringNull(), types.StringUnknown()} {
		if d := validate(v, p, value); len(d) != 0 {
			t.Errorf("%s: unexpected diagnostics %v", value, d)
		}
	}
}

func TestProviderName(t *testing.T) {
	v := tfvalidate.ProviderName(" in provider_configs", `"openai"`)
	p := path.Root("provider_configs")
	for _, good := range []string{"openai", "my-custom.provider_1", "9x"} {
		if d := validate(v, p, types.StringValue(good)); len(d) != 0 {
			t.Errorf("%q: unexpected diagnostics %v", good, d)
		}
	}
	for _, bad := range []string{"", "-openai", "open ai", "a/b"} {
		d := validate(v, p, types.StringValue(bad))
		if len(d) != 1 || d[0].Summary() != "Invalid provider name" {
			t.Fatalf("%q: want one Invalid provider name error, got %v", bad, d)
		}
		want := `"` + bad + `" is not a valid provider name in provider_configs: expected a provider name: letters, digits, '_', '.', '-', ` +
			`starting with a letter or digit, at most 64 characters (e.g. "openai").`
		if d[0].Detail() != want {
			t.Errorf("%q: detail %q, want %q", bad, d[0].Detail(), want)
		}
	}
}
