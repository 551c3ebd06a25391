package acctest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// ProtocolServer is the provider served in-process at the protocol level,
// for unit tests of features the Terraform CLI here cannot drive (resource
// identity needs 1.12, list resources 1.14) and of paths it cannot reach.
type ProtocolServer struct {
	tfprotov6.ProviderServer
	schemas *tfprotov6.GetProviderSchemaResponse
}

// NewProtocolServer starts the provider and configures it for endpoint.
func NewProtocolServer(t testing.TB, endpoint string) *ProtocolServer {
	t.Helper()
	return newProtocolServer(t, ProviderFactories["bifrost"], endpoint)
}

func newProtocolServer(t testing.TB, factory func() (tfprotov6.ProviderServer, error), endpoint string) *ProtocolServer {
	t.Helper()
	s, diags := configureProtocolServer(t, factory, map[string]tftypes.Value{
		"endpoint": tftypes.NewValue(tftypes.String, endpoint),
	})
	if hasErrors(diags) {
		t.Fatalf("ConfigureProvider: %v", Diags(diags))
	}
	return s
}

// ConfigureProtocolServer starts the provider and configures it with the
// given provider attributes (the others null), returning the diagnostics.
func ConfigureProtocolServer(t testing.TB, attrs map[string]tftypes.Value) (*ProtocolServer, []*tfprotov6.Diagnostic) {
	t.Helper()
	return configureProtocolServer(t, ProviderFactories["bifrost"], attrs)
}

func configureProtocolServer(t testing.TB, factory func() (tfprotov6.ProviderServer, error), attrs map[string]tftypes.Value) (*ProtocolServer, []*tfprotov6.Diagnostic) {
	t.Helper()
	ps, err := factory()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	schemas, err := ps.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || hasErrors(schemas.Diagnostics) {
		t.Fatalf("GetProviderSchema: %v %v", err, schemas.Diagnostics)
	}
	s := &ProtocolServer{ProviderServer: ps, schemas: schemas}
	cfg := s.Value(t, schemas.Provider.ValueType(), attrs)
	resp, err := ps.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: &cfg, TerraformVersion: "1.14.0"})
	if err != nil {
		t.Fatal(err)
	}
	return s, resp.Diagnostics
}

// ResourceType is the value type of a resource's state.
func (s *ProtocolServer) ResourceType(name string) tftypes.Type {
	return s.schemas.ResourceSchemas[name].ValueType()
}

// Value builds a DynamicValue of typ (an object) from the given attributes,
// the others null.
func (s *ProtocolServer) Value(t testing.TB, typ tftypes.Type, attrs map[string]tftypes.Value) tfprotov6.DynamicValue {
	t.Helper()
	obj, ok := typ.(tftypes.Object)
	if !ok {
		t.Fatalf("%s is not an object type", typ)
	}
	vals := map[string]tftypes.Value{}
	for name, at := range obj.AttributeTypes {
		if v, ok := attrs[name]; ok {
			vals[name] = v
		} else {
			vals[name] = tftypes.NewValue(at, nil)
		}
	}
	dv, err := tfprotov6.NewDynamicValue(obj, tftypes.NewValue(obj, vals))
	if err != nil {
		t.Fatal(err)
	}
	return dv
}

// Attrs decodes a DynamicValue of typ into its attributes.
func Attrs(t testing.TB, typ tftypes.Type, dv *tfprotov6.DynamicValue) map[string]tftypes.Value {
	t.Helper()
	v, err := dv.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]tftypes.Value{}
	if err := v.As(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// Str returns a string attribute's value ("" when null).
func Str(t testing.TB, v tftypes.Value) string {
	t.Helper()
	var s *string
	if err := v.As(&s); err != nil {
		t.Fatal(err)
	}
	if s == nil {
		return ""
	}
	return *s
}

func hasErrors(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}

// Diags renders diagnostics for a test failure message.
func Diags(diags []*tfprotov6.Diagnostic) []string {
	var out []string
	for _, d := range diags {
		out = append(out, d.Summary+": "+d.Detail)
	}
	return out
}

// HasErrors reports whether any diagnostic is an error.
func HasErrors(diags []*tfprotov6.Diagnostic) bool { return hasErrors(diags) }

// AttrPath renders a diagnostic's attribute path as Terraform users write
// it: a.b["key"].c[0]; a set element as [value]; "" for none.
func AttrPath(p *tftypes.AttributePath) string {
	if p == nil {
		return ""
	}
	var b strings.Builder
	for _, step := range p.Steps() {
		switch s := step.(type) {
		case tftypes.AttributeName:
			if b.Len() > 0 {
				b.WriteString(".")
			}
			b.WriteString(string(s))
		case tftypes.ElementKeyString:
			fmt.Fprintf(&b, "[%q]", string(s))
		case tftypes.ElementKeyInt:
			fmt.Fprintf(&b, "[%d]", int64(s))
		case tftypes.ElementKeyValue:
			var v string
			if err := tftypes.Value(s).As(&v); err != nil {
				fmt.Fprintf(&b, "[%s]", tftypes.Value(s))
			} else {
				fmt.Fprintf(&b, "[%q]", v)
			}
		default:
			fmt.Fprintf(&b, "[%v]", s)
		}
	}
	return b.String()
}

// RenderDiags renders diagnostics one a line, with their attribute paths,
// for test failure messages.
func RenderDiags(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "\n  %s at %q: %s: %s", d.Severity, AttrPath(d.Attribute), d.Summary, d.Detail)
	}
	return b.String()
}

// ExpectOneDiag checks that diags are exactly one diagnostic of severity, on
// attribute path (as AttrPath renders it), whose summary and detail contain
// every string of want and none of hidden (e.g. secrets).
func ExpectOneDiag(t testing.TB, diags []*tfprotov6.Diagnostic, severity tfprotov6.DiagnosticSeverity, path string, want, hidden []string) {
	t.Helper()
	if len(diags) != 1 || diags[0].Severity != severity {
		t.Fatalf("want exactly one %s, got %d diagnostics:%s", severity, len(diags), RenderDiags(diags))
	}
	d := diags[0]
	if got := AttrPath(d.Attribute); got != path {
		t.Errorf("%s on %q, want on %q:%s", severity, got, path, RenderDiags(diags))
	}
	text := d.Summary + ": " + d.Detail
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("the %s does not say %q:\n%s", severity, w, text)
		}
	}
	for _, h := range hidden {
		if strings.Contains(text, h) {
			t.Errorf("the %s shows %q, which it must not:\n%s", severity, h, text)
		}
	}
}

// ObjectValue is a value of the object type typ with the given attributes,
// the others null.
func ObjectValue(t testing.TB, typ tftypes.Type, attrs map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	obj, ok := typ.(tftypes.Object)
	if !ok {
		t.Fatalf("%s is not an object", typ)
	}
	vals := map[string]tftypes.Value{}
	for name, at := range obj.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	for name, v := range attrs {
		if _, ok := obj.AttributeTypes[name]; !ok {
			t.Fatalf("no attribute %q in %s", name, typ)
		}
		vals[name] = v
	}
	return tftypes.NewValue(obj, vals)
}
