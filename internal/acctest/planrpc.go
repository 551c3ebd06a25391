package acctest

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// PlanDiags is what Terraform (≥ 1.11: write-only attributes allowed)
// reports at plan time for the config of resource typeName: the
// diagnostics of ValidateResourceConfig and, when it
// found no error, those of PlanResourceChange over prior (nil for a
// create). The proposed new state is config with the attributes carried
// (e.g. "id") taken from prior.
func (s *ProtocolServer) PlanDiags(t testing.TB, typeName string, config, prior map[string]tftypes.Value, carried ...string) []*tfprotov6.Diagnostic {
	t.Helper()
	ctx := context.Background()
	typ := s.ResourceType(typeName)
	cfg := s.Value(t, typ, config)
	v, err := s.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: typeName, Config: &cfg,
		ClientCapabilities: &tfprotov6.ValidateResourceConfigClientCapabilities{WriteOnlyAttributesAllowed: true}})
	if err != nil {
		t.Fatal(err)
	}
	if HasErrors(v.Diagnostics) {
		return v.Diagnostics
	}
	priorState, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil))
	if err != nil {
		t.Fatal(err)
	}
	proposed := cfg
	if prior != nil {
		priorState = s.Value(t, typ, prior)
		merged := map[string]tftypes.Value{}
		for _, n := range carried {
			merged[n] = prior[n]
		}
		for n, val := range config {
			merged[n] = val
		}
		proposed = s.Value(t, typ, merged)
	}
	p, err := s.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: typeName, Config: &cfg, PriorState: &priorState, ProposedNewState: &proposed,
	})
	if err != nil {
		t.Fatal(err)
	}
	return append(v.Diagnostics, p.Diagnostics...)
}

// ExpectOneDiagOn checks that diags are one diagnostic of severity, on an
// attribute path (as AttrPath renders it) matching the regular expression
// pathRE, whose summary and detail say every string of want.
func ExpectOneDiagOn(t testing.TB, diags []*tfprotov6.Diagnostic, severity tfprotov6.DiagnosticSeverity, pathRE string, want ...string) {
	t.Helper()
	if len(diags) != 1 || diags[0].Severity != severity {
		t.Fatalf("want exactly one %s, got %d diagnostics:%s", severity, len(diags), RenderDiags(diags))
	}
	if got := AttrPath(diags[0].Attribute); !regexp.MustCompile(`^` + pathRE + `$`).MatchString(got) {
		t.Errorf("%s on %q, want on %s", severity, got, pathRE)
	}
	text := diags[0].Summary + ": " + diags[0].Detail
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("the %s does not say %q:\n%s", severity, w, text)
		}
	}
}

// SetElem is the AttrPath pattern of any element of a set attribute, for
// ExpectOneDiagOn.
const SetElem = `\[.*\]`
