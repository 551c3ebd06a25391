package secret_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/secret"
)

// A model shaped like the resources': a root with a nested block holding a
// secret with its write-only form, and an embedded struct.
type blockModel struct {
	Token          types.String `tfsdk:"token"`
	TokenWO        types.String `tfsdk:"token_wo"`
	TokenWOVersion types.Int64  `tfsdk:"token_wo_version"`
	Region         types.String `tfsdk:"region"`
}

type common struct {
	Conf *blockModel `tfsdk:"conf"`
}

type rootModel struct {
	common
	Name types.String `tfsdk:"name"`
}

// wire is the server's answer for rootModel.
type wire struct {
	Name string `json:"name"`
	Conf *struct {
		Token  *bifrost.SecretVar `json:"token,omitempty"`
		Region bifrost.SecretVar  `json:"region"`
	} `json:"conf,omitempty"`
}

func testSchema() schema.Schema {
	return schema.Schema{Attributes: map[string]schema.Attribute{
		"name": schema.StringAttribute{Optional: true},
		"conf": schema.SingleNestedAttribute{Optional: true, Attributes: secret.Merge(
			secret.WriteOnlyAttributes("token", schema.StringAttribute{Optional: true, Sensitive: true}, "Detected."),
			map[string]schema.Attribute{"region": schema.StringAttribute{Optional: true}},
		)},
	}}
}

func TestWriteOnlyAttributes(t *testing.T) {
	attrs := secret.WriteOnlyAttributes("token", schema.StringAttribute{Optional: true, Sensitive: true, MarkdownDescription: "A token."}, "Detected.")
	if len(attrs) != 3 {
		t.Fatalf("got %d attributes", len(attrs))
	}
	plain, wo, version := attrs["token"], attrs["token_wo"], attrs["token_wo_version"]
	if plain.IsWriteOnly() || !plain.IsSensitive() || plain.GetMarkdownDescription() != "A token." {
		t.Errorf("plain: %+v", plain)
	}
	if !wo.IsWriteOnly() || !wo.IsSensitive() || !wo.IsOptional() || !strings.Contains(wo.GetMarkdownDescription(), "Conflicts with `token`.") {
		t.Errorf("write-only form: %+v", wo)
	}
	if _, ok := version.(schema.Int64Attribute); !ok || !version.IsOptional() || version.IsWriteOnly() {
		t.Errorf("version: %+v", version)
	}
	if d := (schema.Schema{Attributes: map[string]schema.Attribute{"conf": schema.SingleNestedAttribute{Optional: true, Attributes: attrs}}}).ValidateImplementation(context.Background()); d.HasError() {
		t.Errorf("invalid schema: %v", d)
	}
	for name, want := range map[string]bool{"token_wo": true, "token_wo_version": true, "token": false, "world": false} {
		if got := secret.IsWriteOnlyCompanion(name); got != want {
			t.Errorf("IsWriteOnlyCompanion(%q) = %v", name, got)
		}
	}
}

func config(t *testing.T, token, tokenWO tftypes.Value) tfsdk.Config {
	t.Helper()
	ctx := context.Background()
	s := testSchema()
	typ := s.Type().TerraformType(ctx).(tftypes.Object)
	confType := typ.AttributeTypes["conf"].(tftypes.Object)
	conf := tftypes.NewValue(confType, map[string]tftypes.Value{
		"token": token, "token_wo": tokenWO, "token_wo_version": tftypes.NewValue(tftypes.Number, 1),
		"region": tftypes.NewValue(tftypes.String, "eu"),
	})
	return tfsdk.Config{Schema: s, Raw: tftypes.NewValue(typ, map[string]tftypes.Value{"name": tftypes.NewValue(tftypes.String, "n"), "conf": conf})}
}

func TestFromConfigAndKeepWriteOnly(t *testing.T) {
	ctx := context.Background()
	null := tftypes.NewValue(tftypes.String, nil)
	plan := rootModel{common: common{Conf: &blockModel{Token: types.StringNull(), TokenWOVersion: types.Int64Value(1), Region: types.StringValue("eu")}}}
	written, diags := secret.FromConfig(ctx, config(t, null, tftypes.NewValue(tftypes.String, lit)), &plan)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if len(written) != 1 || !written[0].Equal(path.Root("conf").AtName("token")) {
		t.Fatalf("written %v", written)
	}
	if plan.Conf.Token.ValueString() != lit {
		t.Fatalf("the write-only secret was not copied to the model to send: %v", plan.Conf.Token)
	}

	// The answer flattened with the plan as prior keeps the secret; the
	// state must not.
	state := rootModel{common: common{Conf: &blockModel{Token: types.StringValue(lit), TokenWO: types.StringValue(lit), Region: types.StringValue("eu")}}}
	secret.KeepWriteOnly(&plan, &state, written)
	if !state.Conf.Token.IsNull() || !state.Conf.TokenWO.IsNull() || state.Conf.TokenWOVersion.ValueInt64() != 1 || state.Conf.Region.ValueString() != "eu" {
		t.Errorf("state %+v", state.Conf)
	}

	// Without a write-only form, nothing changes.
	plain := rootModel{common: common{Conf: &blockModel{Token: types.StringValue(lit)}}}
	written, diags = secret.FromConfig(ctx, config(t, tftypes.NewValue(tftypes.String, lit), null), &plain)
	if diags.HasError() || len(written) != 0 {
		t.Fatalf("written %v, %v", written, diags)
	}
	got := rootModel{common: common{Conf: &blockModel{Token: types.StringValue(lit)}}}
	secret.KeepWriteOnly(&rootModel{common: common{Conf: &blockModel{}}}, &got, nil)
	if got.Conf.Token.ValueString() != lit || !got.Conf.TokenWOVersion.IsNull() {
		t.Errorf("plain secret: %+v", got.Conf)
	}

	// A model without the block: nothing to do.
	secret.KeepWriteOnly(&rootModel{}, &rootModel{}, nil)
	if w, _ := secret.FromConfig(ctx, config(t, null, null), &rootModel{}); len(w) != 0 {
		t.Errorf("written %v", w)
	}
}

type private map[string][]byte

func (p private) GetKey(_ context.Context, k string) ([]byte, diag.Diagnostics) { return p[k], nil }
func (p private) SetKey(_ context.Context, k string, v []byte) diag.Diagnostics {
	if len(v) == 0 {
		delete(p, k)
		return nil
	}
	p[k] = v
	return nil
}

func answer(token string) *wire {
	w := &wire{Name: "n"}
	w.Conf = &struct {
		Token  *bifrost.SecretVar `json:"token,omitempty"`
		Region bifrost.SecretVar  `json:"region"`
	}{Region: bifrost.Literal("eu")}
	if token != "" {
		v := bifrost.SecretVar{Value: token}
		w.Conf.Token = &v
	}
	return w
}

func TestFingerprints(t *testing.T) {
	ctx := context.Background()
	p := private{}
	state := rootModel{common: common{Conf: &blockModel{TokenWOVersion: types.Int64Value(3)}}}
	if d := secret.RecordFingerprints(ctx, p, &state, answer(litMask)); d.HasError() {
		t.Fatal(d)
	}
	if len(p) != 1 || p["wo_fingerprint:conf.token"] == nil {
		t.Fatalf("private state %v", p)
	}
	for _, b := range p {
		if string(b) == lit || string(b) == litMask {
			t.Fatal("the fingerprint is the secret")
		}
	}

	// Same answer: no drift.
	drifted, d := secret.CheckFingerprints(ctx, p, &state, answer(litMask))
	if d.HasError() || len(drifted) != 0 || state.Conf.TokenWOVersion.ValueInt64() != 3 {
		t.Fatalf("unchanged answer: drifted %v, version %v", drifted, state.Conf.TokenWOVersion)
	}
	// A rotation outside Terraform: the version is nulled.
	drifted, d = secret.CheckFingerprints(ctx, p, &state, answer(rotatedMask))
	if d.HasError() || len(drifted) != 1 || !drifted[0].Equal(path.Root("conf").AtName("token")) || !state.Conf.TokenWOVersion.IsNull() {
		t.Fatalf("rotated answer: drifted %v, version %v", drifted, state.Conf.TokenWOVersion)
	}
	// A secret removed outside Terraform is a change too.
	state.Conf.TokenWOVersion = types.Int64Value(3)
	if drifted, _ = secret.CheckFingerprints(ctx, p, &state, answer("")); len(drifted) != 1 {
		t.Errorf("removed secret not seen")
	}

	// No fingerprint recorded (an older state): nothing is reported.
	state.Conf.TokenWOVersion = types.Int64Value(3)
	if drifted, _ = secret.CheckFingerprints(ctx, private{}, &state, answer(rotatedMask)); len(drifted) != 0 {
		t.Errorf("drift reported without a fingerprint")
	}

	// Written as a plain secret afterwards: the fingerprint is removed.
	state.Conf.TokenWOVersion = types.Int64Null()
	if d := secret.RecordFingerprints(ctx, p, &state, answer(litMask)); d.HasError() || len(p) != 0 {
		t.Errorf("private state %v", p)
	}
}

func TestAt(t *testing.T) {
	a := answer(litMask)
	if got := secret.At(a, path.Root("conf").AtName("token")); got.Value != litMask {
		t.Errorf("pointer field: %+v", got)
	}
	if got := secret.At(*a, path.Root("conf").AtName("region")); got.Value != "eu" {
		t.Errorf("value field: %+v", got)
	}
	for _, p := range []path.Path{path.Root("conf").AtName("missing"), path.Root("name"), path.Root("conf").AtName("token").AtName("x")} {
		if got := secret.At(a, p); got != (bifrost.SecretVar{}) {
			t.Errorf("%s: %+v", p, got)
		}
	}
	if got := secret.At(&wire{}, path.Root("conf").AtName("token")); got != (bifrost.SecretVar{}) {
		t.Errorf("nil block: %+v", got)
	}
}
