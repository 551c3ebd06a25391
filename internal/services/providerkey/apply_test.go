package providerkey_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/providerkey"
)

// TestApplyMatchesFramework checks the provider's own create against the
// framework's: the same requests, one applied by the framework to a
// Bifrost, the other by Apply to an identical one, give the same state,
// identity, private state and diagnostics (but for the generated key id and
// the time of the write); Apply answers every create it is meant to and
// declines the rest before sending any request.
func TestApplyMatchesFramework(t *testing.T) {
	opts := emulator.Options{
		Providers: []string{"openai", "azure", "bedrock"},
		Env:       map[string]string{"OPENAI_KEY": "sk-env-0123456789abcdefghij"},
	}
	start := func() *emulator.Server {
		srv, err := emulator.Start(opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(srv.Close)
		return srv
	}
	fwServer, fastServer := start(), start()
	fw := acctest.NewFrameworkProtocolServer(t, fwServer.URL())
	client, err := bifrost.New(bifrost.Config{Endpoint: fastServer.URL(), RequestTimeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, url := range []string{fwServer.URL(), fastServer.URL()} {
		c, err := bifrost.New(bifrost.Config{Endpoint: url})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.CreateKey(ctx, "openai", bifrost.Key{ID: "pa-taken-id", Name: "pa-taken", Value: bifrost.Literal("sk-taken-0123456789abcdefghij")}); err != nil {
			t.Fatal(err)
		}
	}
	typ := fw.ResourceType(typeName)
	idType := identityType(t, fw)
	null := nullValue(t, typ)
	object := func(name string, attrs map[string]tftypes.Value) tftypes.Value { return blockValue(typ, name, attrs) }

	cases := []struct {
		name string
		// applied: whether Apply creates this key (else the framework does).
		applied bool
		attrs   map[string]tftypes.Value
	}{
		{"minimal", true, map[string]tftypes.Value{
			"provider_name": str("openai"), "name": str("pa-minimal"), "value": str("sk-pa-0123456789abcdefghij"),
			"models": strSet("gpt-4o-mini"), "weight": num(1),
		}},
		{"defaults", true, map[string]tftypes.Value{
			"provider_name": str("openai"), "name": str("pa-defaults"), "value": str("sk-pa-1123456789abcdefghij"),
		}},
		{"reference", true, map[string]tftypes.Value{
			"provider_name": str("openai"), "name": str("pa-reference"), "value": str("env.OPENAI_KEY"),
		}},
		{"write-only", true, map[string]tftypes.Value{
			"provider_name": str("openai"), "name": str("pa-wo"), "value_wo": str("sk-pa-2123456789abcdefghij"),
			"value_wo_version": num(1),
		}},
		{"everything", true, map[string]tftypes.Value{
			"id": str("pa-everything-id"), "provider_name": str("openai"), "name": str("pa-everything"),
			"value": str("sk-pa-3123456789abcdefghij"), "models": strSet("gpt-4o", "gpt-4o-mini"),
			"blacklisted_models": strSet("o1"), "weight": num(0.25),
			"enabled": tftypes.NewValue(tftypes.Bool, false), "use_for_batch_api": tftypes.NewValue(tftypes.Bool, true),
			"aliases":  strMap(map[string]string{"fast": "gpt-4o-mini"}),
			"timeouts": object("timeouts", map[string]tftypes.Value{"create": str("1m")}),
		}},
		{"azure", true, map[string]tftypes.Value{
			"provider_name": str("azure"), "name": str("pa-azure"), "value": str("az-pa-0123456789abcdefghij"),
			"azure_key_config": object("azure_key_config", map[string]tftypes.Value{
				"endpoint": str("https://example.openai.azure.com"), "api_version": str("2024-10-21"),
			}),
		}},
		// Bifrost refuses: the diagnostics are the framework's.
		{"name taken", true, map[string]tftypes.Value{
			"provider_name": str("openai"), "name": str("pa-taken"), "value": str("sk-pa-4123456789abcdefghij"),
		}},
		{"id taken", true, map[string]tftypes.Value{
			"id": str("pa-taken-id"), "provider_name": str("openai"), "name": str("pa-other"), "value": str("sk-pa-5123456789abcdefghij"),
		}},
		// A block with defaults inside: the framework applies it.
		{"bedrock", false, map[string]tftypes.Value{
			"provider_name": str("bedrock"), "name": str("pa-bedrock"),
			"bedrock_key_config": object("bedrock_key_config", map[string]tftypes.Value{
				"access_key": str("AKIA0123456789ABCDEF"), "secret_key": str("secret-0123456789abcdefghij"),
				"region": str("us-east-1"),
			}),
		}},
	}
	for _, c := range cases {
		for _, withIdentity := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s, identity %v", c.name, withIdentity), func(t *testing.T) {
				attrs := maps.Clone(c.attrs)
				if withIdentity && c.applied {
					// Two creates of one name: the second would be refused.
					if n := acctest.Str(t, attrs["name"]); n != "pa-taken" {
						attrs["name"] = str(n + "-identity")
					}
					if id := attrs["id"]; !id.IsNull() && acctest.Str(t, id) != "pa-taken-id" {
						attrs["id"] = str(acctest.Str(t, id) + "-identity")
					}
				}
				config := fw.Value(t, typ, attrs)
				p, err := fw.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: typeName, Config: &config, PriorState: &null, ProposedNewState: &config})
				if err != nil || acctest.HasErrors(p.Diagnostics) {
					t.Fatalf("plan: %v %v", err, acctest.Diags(p.Diagnostics))
				}
				req := tfprotov6.ApplyResourceChangeRequest{
					TypeName: typeName, Config: &config, PriorState: &null, PlannedState: p.PlannedState, PlannedPrivate: p.PlannedPrivate,
				}
				if withIdentity {
					req.PlannedIdentity = p.PlannedIdentity
				}
				got, ok := providerkey.Apply(ctx, client, &req)
				if ok != c.applied {
					t.Fatalf("Apply answered: %v, want %v", ok, c.applied)
				}
				if !ok {
					if keys, err := client.ListKeys(ctx, acctest.Str(t, attrs["provider_name"])); err != nil || len(keys) > 0 {
						t.Fatalf("Apply declined after writing: %d keys, %v", len(keys), err)
					}
					return
				}
				want, err := fw.ApplyResourceChange(ctx, &req)
				if err != nil {
					t.Fatal(err)
				}
				compareApplies(t, typ, idType, want, got)
			})
		}
	}

	t.Run("declines", func(t *testing.T) {
		attrs := maps.Clone(cases[0].attrs)
		attrs["name"] = str("pa-declines")
		config := fw.Value(t, typ, attrs)
		state, private, identity := applyCreate(t, fw, typ, &config)
		for name, req := range map[string]*tfprotov6.ApplyResourceChangeRequest{
			"update":  {TypeName: typeName, Config: &config, PriorState: state, PlannedState: state, PlannedPrivate: private, PlannedIdentity: identity},
			"destroy": {TypeName: typeName, Config: &null, PriorState: state, PlannedState: &null, PlannedPrivate: private, PlannedIdentity: identity},
		} {
			if _, ok := providerkey.Apply(ctx, client, req); ok {
				t.Errorf("Apply answered a %s; the framework applies those", name)
			}
		}
		create := &tfprotov6.ApplyResourceChangeRequest{TypeName: typeName, Config: &config, PriorState: &null, PlannedState: &config}
		if _, ok := providerkey.Apply(ctx, nil, create); ok {
			t.Error("Apply answered before the provider was configured")
		}
	})
}

// compareApplies fails unless the fast path's create is the framework's,
// but for a generated key id and the time of the write.
func compareApplies(t *testing.T, typ, idType tftypes.Type, want, got *tfprotov6.ApplyResourceChangeResponse) {
	t.Helper()
	if w, g := protoDiags(want.Diagnostics), protoDiags(got.Diagnostics); w != g {
		t.Errorf("diagnostics:\nfast path %s\nframework %s", g, w)
	}
	wantState, gotState := decode(t, typ, want.NewState), decode(t, typ, got.NewState)
	wantID, gotID := decode(t, idType, want.NewIdentity.IdentityData), decode(t, idType, got.NewIdentity.IdentityData)
	if !wantState.IsNull() && !gotState.IsNull() {
		w, g := attrsOf(t, wantState), attrsOf(t, gotState)
		if acctest.Str(t, w["id"]) != acctest.Str(t, g["id"]) {
			// A generated id: the same in the state and the identity.
			for _, v := range []map[string]tftypes.Value{w, g} {
				if id := acctest.Str(t, v["id"]); len(id) != 36 {
					t.Errorf("id %q is not a generated one", id)
				}
			}
			wi, gi := attrsOf(t, wantID), attrsOf(t, gotID)
			if !wi["id"].Equal(w["id"]) || !gi["id"].Equal(g["id"]) {
				t.Errorf("identity ids %s, %s; state ids %s, %s", wi["id"], gi["id"], w["id"], g["id"])
			}
			w["id"], g["id"], wi["id"], gi["id"] = str("generated"), str("generated"), str("generated"), str("generated")
			wantState, gotState = tftypes.NewValue(typ, w), tftypes.NewValue(typ, g)
			wantID, gotID = tftypes.NewValue(idType, wi), tftypes.NewValue(idType, gi)
		}
	}
	if !gotState.Equal(wantState) {
		t.Errorf("new state:\nfast path %s\nframework %s", gotState, wantState)
	}
	if !gotID.Equal(wantID) {
		t.Errorf("new identity: fast path %s, framework %s", gotID, wantID)
	}
	wp, gp := privateBytes(t, want.Private), privateBytes(t, got.Private)
	for _, p := range []map[string][]byte{wp, gp} {
		if b, ok := p["written_at"]; ok {
			var ms int64
			if err := json.Unmarshal(b, &ms); err != nil || time.Since(time.UnixMilli(ms)).Abs() > time.Minute {
				t.Errorf("written_at %s is not the time of the write", b)
			}
			p["written_at"] = []byte("0")
		}
	}
	if !maps.EqualFunc(wp, gp, func(a, b []byte) bool { return string(a) == string(b) }) {
		t.Errorf("private state:\nfast path %q\nframework %q", gp, wp)
	}
	if (want.Private == nil) != (got.Private == nil) {
		t.Errorf("private state: fast path %q, framework %q", got.Private, want.Private)
	}
}

func protoDiags(diags []*tfprotov6.Diagnostic) string {
	s := ""
	for _, d := range diags {
		s += fmt.Sprintf("[%v %q %q at %v]", d.Severity, d.Summary, d.Detail, d.Attribute)
	}
	return s
}

func decode(t *testing.T, typ tftypes.Type, dv *tfprotov6.DynamicValue) tftypes.Value {
	t.Helper()
	v, err := dv.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func attrsOf(t *testing.T, v tftypes.Value) map[string]tftypes.Value {
	t.Helper()
	m := map[string]tftypes.Value{}
	if err := v.As(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

// privateBytes decodes private state as the framework writes it.
func privateBytes(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	if len(b) > 0 {
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("private state %q: %v", b, err)
		}
	}
	return m
}

// TestReifyStateMatchesFramework compares the empty list blocks Apply sends
// for null ones with the framework's, which it applies to every value it
// sends (here, an upgraded state).
func TestReifyStateMatchesFramework(t *testing.T) {
	fw := acctest.NewFrameworkProtocolServer(t, "http://127.0.0.1:1")
	typ := fw.ResourceType(typeName)
	bedrock := typ.(tftypes.Object).AttributeTypes["bedrock_key_config"].(tftypes.Object)
	batch := bedrock.AttributeTypes["batch_s3_config"].(tftypes.Object)
	bucket := batch.AttributeTypes["bucket"].(tftypes.List)
	withBedrock := func(bucketValue *tftypes.Value) map[string]tftypes.Value {
		b := map[string]tftypes.Value{"bucket": tftypes.NewValue(bucket, nil)}
		if bucketValue != nil {
			b["bucket"] = *bucketValue
		}
		return map[string]tftypes.Value{
			"provider_name": str("bedrock"), "name": str("pr-bedrock"), "id": str("pr-id"),
			"bedrock_key_config": blockValue(typ, "bedrock_key_config", map[string]tftypes.Value{
				"region": str("us-east-1"), "batch_s3_config": tftypes.NewValue(batch, b),
			}),
		}
	}
	element := bucket.ElementType.(tftypes.Object)
	one := map[string]tftypes.Value{}
	for n, at := range element.AttributeTypes {
		one[n] = tftypes.NewValue(at, nil)
	}
	one["bucket_name"] = str("b1")
	buckets := tftypes.NewValue(bucket, []tftypes.Value{tftypes.NewValue(element, one)})
	for name, attrs := range map[string]map[string]tftypes.Value{
		"no blocks":   {"provider_name": str("openai"), "name": str("pr-openai"), "id": str("pr-id")},
		"null bucket": withBedrock(nil),
		"one bucket":  withBedrock(&buckets),
	} {
		t.Run(name, func(t *testing.T) {
			vals := map[string]tftypes.Value{}
			for n, at := range typ.(tftypes.Object).AttributeTypes {
				vals[n] = tftypes.NewValue(at, nil)
			}
			maps.Copy(vals, attrs)
			v := tftypes.NewValue(typ, vals)
			js, err := tfjson(v)
			if err != nil {
				t.Fatal(err)
			}
			up, err := fw.UpgradeResourceState(context.Background(), &tfprotov6.UpgradeResourceStateRequest{TypeName: typeName, RawState: &tfprotov6.RawState{JSON: js}})
			if err != nil || acctest.HasErrors(up.Diagnostics) {
				t.Fatalf("upgrade: %v %v", err, acctest.Diags(up.Diagnostics))
			}
			want := decode(t, typ, up.UpgradedState)
			got, err := providerkey.ReifyState(v)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(want) {
				t.Errorf("fast path %s\nframework %s", got, want)
			}
			if name == "null bucket" && got.Equal(v) {
				t.Error("the null bucket list stayed null")
			}
		})
	}
}
