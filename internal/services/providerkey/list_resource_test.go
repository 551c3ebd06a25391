package providerkey_test

import (
	"context"
	"fmt"
	"maps"
	"math/big"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

const listType = "bifrost_provider_key"

// listServer calls the list resource RPCs of the provider server, as
// `terraform query` (Terraform ≥ 1.14) would.
type listServer struct {
	*acctest.ProtocolServer
	lister       tfprotov6.ListResourceServer
	configType   tftypes.Type
	identityType tftypes.Type
}

func newListServer(t *testing.T, endpoint string) *listServer {
	t.Helper()
	ps := acctest.NewProtocolServer(t, endpoint)
	lister, ok := ps.ProviderServer.(tfprotov6.ListResourceServer)
	if !ok {
		t.Fatalf("the provider server (%T) does not serve list resources", ps.ProviderServer)
	}
	ctx := context.Background()
	schemas, err := ps.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || acctest.HasErrors(schemas.Diagnostics) {
		t.Fatalf("GetProviderSchema: %v %v", err, acctest.Diags(schemas.Diagnostics))
	}
	if schemas.ListResourceSchemas[listType] == nil {
		t.Fatalf("no list resource %s in the provider schema", listType)
	}
	ids, err := ps.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil || acctest.HasErrors(ids.Diagnostics) {
		t.Fatalf("GetResourceIdentitySchemas: %v %v", err, acctest.Diags(ids.Diagnostics))
	}
	return &listServer{
		ProtocolServer: ps, lister: lister,
		configType:   schemas.ListResourceSchemas[listType].ValueType(),
		identityType: ids.IdentitySchemas[listType].ValueType(),
	}
}

// listed is one streamed result, decoded.
type listed struct {
	displayName string
	identity    map[string]string
	// resource is the resource object's attributes; nil when not sent.
	resource map[string]tftypes.Value
	diags    []*tfprotov6.Diagnostic
}

func (s *listServer) config(t *testing.T, providerName, nameRegex string) *tfprotov6.DynamicValue {
	t.Helper()
	set := map[string]tftypes.Value{"provider_name": tftypes.NewValue(tftypes.String, providerName)}
	if nameRegex != "" {
		set["name_regex"] = tftypes.NewValue(tftypes.String, nameRegex)
	}
	v := s.Value(t, s.configType, set)
	return &v
}

func (s *listServer) list(t *testing.T, cfg *tfprotov6.DynamicValue, includeResource bool, limit int64) []listed {
	t.Helper()
	stream, err := s.lister.ListResource(context.Background(), &tfprotov6.ListResourceRequest{
		TypeName: listType, Config: cfg, IncludeResource: includeResource, Limit: limit,
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []listed
	for r := range stream.Results {
		l := listed{displayName: r.DisplayName, diags: r.Diagnostics}
		if r.Identity != nil {
			l.identity = map[string]string{}
			for name, v := range acctest.Attrs(t, s.identityType, r.Identity.IdentityData) {
				l.identity[name] = acctest.Str(t, v)
			}
		}
		if r.Resource != nil {
			// Attrs fails the test when the object does not fit the
			// resource schema.
			l.resource = acctest.Attrs(t, s.ResourceType(listType), r.Resource)
		}
		out = append(out, l)
	}
	return out
}

func (s *listServer) validate(t *testing.T, cfg *tfprotov6.DynamicValue) []*tfprotov6.Diagnostic {
	t.Helper()
	resp, err := s.lister.ValidateListResourceConfig(context.Background(), &tfprotov6.ValidateListResourceConfigRequest{TypeName: listType, Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Diagnostics
}

// TestListResource_providerServer calls the ListResource and
// ValidateListResourceConfig RPCs of the provider server directly against
// an emulator, as `terraform query` (Terraform ≥ 1.14) would.
func TestListResource_providerServer(t *testing.T) {
	emu, err := emulator.Start(emulator.Options{
		Providers: []string{"openai", "anthropic", "bedrock"},
		Env:       map[string]string{"OPENAI_KEY": "sk-env-0123456789abcdefghijklmn"},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emu.Close)
	client, err := bifrost.New(bifrost.Config{Endpoint: emu.URL()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const secret = "sk-list-0123456789abcdefghijklmn"
	var keys []*bifrost.Key
	for _, k := range []bifrost.Key{
		{Name: "primary", Value: bifrost.Literal(secret), Models: []string{"gpt-4o"}, Weight: 2},
		{Name: "secondary", Value: bifrost.Literal("env.OPENAI_KEY"), Models: []string{"*"}, Weight: 1},
		{Name: "primary-backup", Value: bifrost.Literal(secret), Models: []string{"*"}, Weight: 1, Enabled: new(false)},
	} {
		got, err := client.CreateKey(ctx, "openai", k)
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, got)
	}
	if _, err := client.CreateKey(ctx, "anthropic", bifrost.Key{Name: "other-provider", Value: bifrost.Literal(secret), Models: []string{"*"}, Weight: 1}); err != nil {
		t.Fatal(err)
	}
	s := newListServer(t, emu.URL())

	wantIdentities := func(t *testing.T, got []listed, want ...*bifrost.Key) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("got %d results (%+v), want %d", len(got), got, len(want))
		}
		for i, k := range want {
			if len(got[i].diags) > 0 {
				t.Errorf("result %d: diagnostics %v", i, acctest.Diags(got[i].diags))
			}
			if w := map[string]string{"provider_name": "openai", "id": k.ID}; !maps.Equal(got[i].identity, w) {
				t.Errorf("result %d: identity %v, want %v", i, got[i].identity, w)
			}
			if got[i].displayName != k.Name {
				t.Errorf("result %d: display name %q, want %q", i, got[i].displayName, k.Name)
			}
		}
	}

	t.Run("identities only", func(t *testing.T) {
		got := s.list(t, s.config(t, "openai", ""), false, 100)
		wantIdentities(t, got, keys...)
		for i, r := range got {
			if r.resource != nil {
				t.Errorf("result %d: resource object sent although include_resource is false", i)
			}
		}
	})

	t.Run("name_regex", func(t *testing.T) {
		wantIdentities(t, s.list(t, s.config(t, "openai", "^primary"), false, 100), keys[0], keys[2])
		wantIdentities(t, s.list(t, s.config(t, "openai", "backup$"), false, 100), keys[2])
		wantIdentities(t, s.list(t, s.config(t, "openai", "^nothing"), false, 100))
	})

	t.Run("limit", func(t *testing.T) {
		wantIdentities(t, s.list(t, s.config(t, "openai", ""), false, 2), keys[0], keys[1])
	})

	t.Run("include_resource", func(t *testing.T) {
		got := s.list(t, s.config(t, "openai", ""), true, 100)
		wantIdentities(t, got, keys...)
		for i, r := range got {
			if r.resource == nil {
				t.Fatalf("result %d: no resource object", i)
			}
			want := map[string]any{
				"id": keys[i].ID, "provider_name": "openai", "name": keys[i].Name,
				"enabled": i != 2, "use_for_batch_api": false,
			}
			for name, w := range want {
				if g := goValue(t, r.resource[name]); g != w {
					t.Errorf("result %d: %s = %v, want %v", i, name, g, w)
				}
			}
			if !r.resource["timeouts"].IsNull() || !r.resource["value_wo"].IsNull() {
				t.Errorf("result %d: timeouts and value_wo must be null", i)
			}
		}
		// The resource object is what an import reads: the mask of a
		// literal, the reference itself.
		checks := []struct {
			result      int
			attr, value string
		}{
			{0, "value", bifrost.Mask(secret)},
			{0, "value_env_var", ""},
			{1, "value", "env.OPENAI_KEY"},
			{1, "value_env_var", "env.OPENAI_KEY"},
		}
		for _, c := range checks {
			if g := goValue(t, got[c.result].resource[c.attr]); g != c.value {
				t.Errorf("result %d: %s = %v, want %q", c.result, c.attr, g, c.value)
			}
		}
		if g := goValue(t, got[0].resource["weight"]); g != "2" {
			t.Errorf("weight = %v, want 2", g)
		}
		var models []tftypes.Value
		if err := got[0].resource["models"].As(&models); err != nil || len(models) != 1 || goValue(t, models[0]) != "gpt-4o" {
			t.Errorf("models = %v (%v), want [gpt-4o]", models, err)
		}
	})

	t.Run("include_resource with a provider config", func(t *testing.T) {
		k, err := client.CreateKey(ctx, "bedrock", bifrost.Key{
			Name: "bedrock", Models: []string{"*"}, Weight: 1,
			BedrockKeyConfig: &bifrost.BedrockKeyConfig{
				AccessKey: bifrost.Literal("AKIAEXAMPLEEXAMPLE01"), SecretKey: bifrost.Literal("secretkeyexample0123456789abcdef"),
				Region:        new(bifrost.Literal("us-east-1")),
				BatchS3Config: &bifrost.BatchS3Config{Buckets: []bifrost.S3Bucket{{BucketName: "b1", Prefix: "jobs/", IsDefault: true}, {BucketName: "b2"}}},
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		got := s.list(t, s.config(t, "bedrock", ""), true, 100)
		if len(got) != 1 || len(got[0].diags) > 0 || got[0].resource == nil {
			t.Fatalf("want one result with a resource object, got %+v", got)
		}
		if got[0].identity["id"] != k.ID {
			t.Errorf("identity %v, want id %s", got[0].identity, k.ID)
		}
		var cfg map[string]tftypes.Value
		if err := got[0].resource["bedrock_key_config"].As(&cfg); err != nil {
			t.Fatal(err)
		}
		if g, w := goValue(t, cfg["secret_key"]), bifrost.Mask("secretkeyexample0123456789abcdef"); g != w {
			t.Errorf("bedrock_key_config.secret_key = %v, want %s", g, w)
		}
		var s3 map[string]tftypes.Value
		var buckets []tftypes.Value
		if err := cfg["batch_s3_config"].As(&s3); err != nil {
			t.Fatal(err)
		}
		if err := s3["bucket"].As(&buckets); err != nil || len(buckets) != 2 {
			t.Fatalf("batch_s3_config.bucket = %v (%v), want 2 buckets", buckets, err)
		}
	})

	t.Run("unknown provider", func(t *testing.T) {
		got := s.list(t, s.config(t, "no-such-provider", ""), false, 100)
		if len(got) != 1 || !hasError(got[0].diags, `Cannot list the provider's keys`, `"no-such-provider"`) {
			t.Fatalf("want one result with an error naming the provider, got %+v", got)
		}
	})

	t.Run("validate", func(t *testing.T) {
		if d := s.validate(t, s.config(t, "openai", "^prim(ary)?$")); len(d) > 0 {
			t.Errorf("valid config: %v", acctest.Diags(d))
		}
		if d := s.validate(t, s.config(t, "openai", "prim(ary")); !hasError(d, "Invalid regular expression", "prim(ary") {
			t.Errorf("invalid name_regex: want an error, got %v", acctest.Diags(d))
		}
		if d := s.validate(t, s.config(t, "not a provider!", "")); !hasError(d, "Invalid provider name") {
			t.Errorf("invalid provider_name: want an error, got %v", acctest.Diags(d))
		}
	})
}

// goValue converts a primitive tftypes value: string, bool, or a number
// as its decimal string; nil when null.
func goValue(t *testing.T, v tftypes.Value) any {
	t.Helper()
	var out any
	var err error
	switch {
	case v.IsNull():
	case v.Type().Is(tftypes.String):
		var s string
		err = v.As(&s)
		out = s
	case v.Type().Is(tftypes.Bool):
		var b bool
		err = v.As(&b)
		out = b
	case v.Type().Is(tftypes.Number):
		n := new(big.Float)
		err = v.As(&n)
		out = n.Text('g', -1)
	default:
		t.Fatalf("not a primitive: %s", v.Type())
	}
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// hasError reports whether one error diagnostic mentions all the substrings.
func hasError(diags []*tfprotov6.Diagnostic, substrings ...string) bool {
	for _, d := range diags {
		if d.Severity != tfprotov6.DiagnosticSeverityError {
			continue
		}
		text, all := d.Summary+" "+d.Detail, true
		for _, s := range substrings {
			all = all && strings.Contains(text, s)
		}
		if all {
			return true
		}
	}
	return false
}

// TestAccProviderKeyListResource_query runs `terraform query` on the list
// resource. It needs Terraform ≥ 1.14 and is skipped on older versions.
func TestAccProviderKeyListResource_query(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	tg.EnsureProviders(t, "openai")
	prefix := acctest.Name("query")
	const secret = "sk-query-0123456789abcdefghijklm"
	resources := tg.ProviderConfig() + fmt.Sprintf(`
resource "bifrost_provider_key" "a" {
  provider_name = "openai"
  id            = "%[1]s-a-id"
  name          = "%[1]s-a"
  value         = %[2]q
  models        = ["gpt-4o"]
}

resource "bifrost_provider_key" "b" {
  provider_name = "openai"
  name          = "%[1]s-b"
  value         = %[2]q
}
`, prefix, secret)
	query := fmt.Sprintf(`
list "bifrost_provider_key" "test" {
  provider         = bifrost
  include_resource = true

  config {
    provider_name = "openai"
    name_regex    = %q
  }
}
`, "^"+regexp.QuoteMeta(prefix)+"-")
	keyA := queryfilter.ByResourceIdentity(map[string]knownvalue.Check{
		"provider_name": knownvalue.StringExact("openai"),
		"id":            knownvalue.StringExact(prefix + "-a-id"),
	})
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             tg.CheckKeysDestroyed,
		Steps: []resource.TestStep{
			{Config: resources},
			{
				Query:  true,
				Config: query,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("bifrost_provider_key.test", 2),
					querycheck.ExpectIdentity("bifrost_provider_key.test", map[string]knownvalue.Check{
						"provider_name": knownvalue.StringExact("openai"),
						"id":            knownvalue.StringExact(prefix + "-a-id"),
					}),
					querycheck.ExpectResourceDisplayName("bifrost_provider_key.test", keyA, knownvalue.StringExact(prefix+"-a")),
					querycheck.ExpectResourceKnownValues("bifrost_provider_key.test", keyA, []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("models"), KnownValue: knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("gpt-4o")})},
						{Path: tfjsonpath.New("value"), KnownValue: knownvalue.StringExact(bifrost.Mask(secret))},
					}),
				},
			},
		},
	})
}
