package bifrostprovider_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// Fast, direct versions of TestAccProvider_planTimeValidation: the
// plan-time checks of bifrost_provider, driven at the protocol level as
// Terraform drives them (validate, then plan), without the Terraform CLI.
// They test what a user sees (diagnostic, attribute, text), not the
// validators, so that a check may move between an attribute validator,
// ValidateConfig and ModifyPlan.

const resourceType = "bifrost_provider"

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

func num(n int64) tftypes.Value { return tftypes.NewValue(tftypes.Number, n) }

// providerShape builds configuration values of bifrost_provider.
type providerShape struct{ typ tftypes.Object }

// nested is the nested attribute name (an object) with attrs, the others
// null.
func (s providerShape) nested(t *testing.T, name string, attrs map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	return objectOf(t, s.typ.AttributeTypes[name], attrs)
}

// custom is custom_provider_config on base openai, with attrs.
func (s providerShape) custom(t *testing.T, attrs map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	all := map[string]tftypes.Value{"base_provider_type": str("openai")}
	for n, v := range attrs {
		all[n] = v
	}
	return s.nested(t, "custom_provider_config", all)
}

func objectOf(t *testing.T, typ tftypes.Type, attrs map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	return acctest.ObjectValue(t, typ, attrs)
}

func strValues(ss ...string) []tftypes.Value {
	out := []tftypes.Value{}
	for _, s := range ss {
		out = append(out, str(s))
	}
	return out
}

func strSet(ss ...string) tftypes.Value {
	return tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, strValues(ss...))
}

func strMap(m map[string]string) tftypes.Value {
	vals := map[string]tftypes.Value{}
	for k, v := range m {
		vals[k] = str(v)
	}
	return tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, vals)
}

// planTimeDiags is what Terraform reports for a new bifrost_provider with
// config at plan time: the diagnostics of ValidateResourceConfig and, when
// it found no error, those of PlanResourceChange.
func planTimeDiags(t *testing.T, ps *acctest.ProtocolServer, config map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	t.Helper()
	ctx := context.Background()
	typ := ps.ResourceType(resourceType)
	cfg := ps.Value(t, typ, config)
	v, err := ps.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: resourceType, Config: &cfg})
	if err != nil {
		t.Fatal(err)
	}
	if acctest.HasErrors(v.Diagnostics) {
		return v.Diagnostics
	}
	prior, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil))
	if err != nil {
		t.Fatal(err)
	}
	p, err := ps.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: resourceType, Config: &cfg, PriorState: &prior, ProposedNewState: &cfg,
	})
	if err != nil {
		t.Fatal(err)
	}
	return append(v.Diagnostics, p.Diagnostics...)
}

// expectOne checks that diags are exactly one diagnostic of severity, on
// attribute path, whose summary and detail contain every string of want.
func expectOne(t *testing.T, diags []*tfprotov6.Diagnostic, severity tfprotov6.DiagnosticSeverity, path string, want []string) {
	t.Helper()
	acctest.ExpectOneDiag(t, diags, severity, path, want, nil)
}

// providerCase is one configuration of bifrost_provider and its one error
// (none when path and want are empty).
type providerCase struct {
	name   string
	config func(t *testing.T, s providerShape) map[string]tftypes.Value
	path   string
	want   []string
}

// customWith is a custom provider "my-llm" on openai with attrs.
func customWith(nested map[string]map[string]tftypes.Value) func(*testing.T, providerShape) map[string]tftypes.Value {
	return func(t *testing.T, s providerShape) map[string]tftypes.Value {
		cfg := map[string]tftypes.Value{"name": str("my-llm"), "custom_provider_config": s.custom(t, nil)}
		for name, attrs := range nested {
			cfg[name] = s.nested(t, name, attrs)
		}
		return cfg
	}
}

func network(attrs map[string]tftypes.Value) map[string]map[string]tftypes.Value {
	return map[string]map[string]tftypes.Value{"network_config": attrs}
}

func concurrency(attrs map[string]tftypes.Value) map[string]map[string]tftypes.Value {
	return map[string]map[string]tftypes.Value{"concurrency_and_buffer_size": attrs}
}

func proxy(attrs map[string]tftypes.Value) map[string]map[string]tftypes.Value {
	return map[string]map[string]tftypes.Value{"proxy_config": attrs}
}

// named is a provider called name with custom_provider_config attrs (none
// when attrs is nil).
func named(name string, custom map[string]tftypes.Value) func(*testing.T, providerShape) map[string]tftypes.Value {
	return func(t *testing.T, s providerShape) map[string]tftypes.Value {
		cfg := map[string]tftypes.Value{"name": str(name)}
		if custom != nil {
			cfg["custom_provider_config"] = s.nested(t, "custom_provider_config", custom)
		}
		return cfg
	}
}

const (
	nameAllowed = "must be letters, digits, '_', '.', '-', starting with a letter or digit, at most 64 characters"
	urlAllowed  = "is not a URL Bifrost can call: expected an absolute http:// or https:// URL with a host"
)

var badProviderCases = []providerCase{
	// name.
	{name: "name with spaces", config: named("not a name", map[string]tftypes.Value{"base_provider_type": str("openai")}),
		path: "name", want: []string{nameAllowed, "got: not a name"}},
	// Without custom_provider_config: the format error only, no "not a
	// built-in type" warning next to it.
	{name: "malformed name, not custom", config: named("not a name", nil),
		path: "name", want: []string{nameAllowed, "got: not a name"}},
	{name: "empty name", config: named("", map[string]tftypes.Value{"base_provider_type": str("openai")}),
		path: "name", want: []string{nameAllowed}},
	{name: "name of 65 characters", config: named(strings.Repeat("n", 65), map[string]tftypes.Value{"base_provider_type": str("openai")}),
		path: "name", want: []string{nameAllowed, "got: " + strings.Repeat("n", 65)}},

	// network_config.base_url.
	{name: "base url of another scheme", config: customWith(network(map[string]tftypes.Value{"base_url": str("ftp://files.example.com")})),
		path: "network_config.base_url", want: []string{"Invalid base URL", `"ftp://files.example.com" ` + urlAllowed}},
	{name: "relative base url", config: customWith(network(map[string]tftypes.Value{"base_url": str("llm.example.com/v1")})),
		path: "network_config.base_url", want: []string{`"llm.example.com/v1" ` + urlAllowed}},
	{name: "base url without host", config: customWith(network(map[string]tftypes.Value{"base_url": str("https://")})),
		path: "network_config.base_url", want: []string{`"https://" ` + urlAllowed}},
	{name: "base url with a port and no host", config: customWith(network(map[string]tftypes.Value{"base_url": str("http://:8080")})),
		path: "network_config.base_url", want: []string{`"http://:8080" ` + urlAllowed}},
	{name: "base url with a space in the host", config: customWith(network(map[string]tftypes.Value{"base_url": str("http://llm example.com")})),
		path: "network_config.base_url", want: []string{`"http://llm example.com" ` + urlAllowed}},
	{name: "empty base url", config: customWith(network(map[string]tftypes.Value{"base_url": str("")})),
		path: "network_config.base_url", want: []string{`"" ` + urlAllowed}},
	{name: "env reference as base url", config: customWith(network(map[string]tftypes.Value{"base_url": str("env.LLM_BASE_URL")})),
		path: "network_config.base_url", want: []string{`"env.LLM_BASE_URL" ` + urlAllowed}},

	// network_config, other attributes.
	{name: "empty extra_headers", config: customWith(network(map[string]tftypes.Value{"extra_headers": strMap(map[string]string{})})),
		path: "network_config.extra_headers", want: []string{"map must contain at least 1 elements, got: 0"}},
	{name: "empty header name", config: customWith(network(map[string]tftypes.Value{"extra_headers": strMap(map[string]string{"": "x"})})),
		path: `network_config.extra_headers[""]`, want: []string{"string length must be at least 1, got: 0"}},
	{name: "request timeout 0", config: customWith(network(map[string]tftypes.Value{"default_request_timeout_in_seconds": num(0)})),
		path: "network_config.default_request_timeout_in_seconds", want: []string{"value must be at least 1, got: 0"}},
	{name: "stream idle timeout -1", config: customWith(network(map[string]tftypes.Value{"stream_idle_timeout_in_seconds": num(-1)})),
		path: "network_config.stream_idle_timeout_in_seconds", want: []string{"value must be at least 0, got: -1"}},
	{name: "keep-alive timeout 0", config: customWith(network(map[string]tftypes.Value{"keep_alive_timeout_in_seconds": num(0)})),
		path: "network_config.keep_alive_timeout_in_seconds", want: []string{"value must be at least 1, got: 0"}},
	{name: "max_conns_per_host -1", config: customWith(network(map[string]tftypes.Value{"max_conns_per_host": num(-1)})),
		path: "network_config.max_conns_per_host", want: []string{"value must be at least 0, got: -1"}},
	{name: "negative retries", config: customWith(network(map[string]tftypes.Value{"max_retries": num(-1)})),
		path: "network_config.max_retries", want: []string{"max_retries value must be at least 0, got: -1"}},
	{name: "empty CA", config: customWith(network(map[string]tftypes.Value{"ca_cert_pem": str("")})),
		path: "network_config.ca_cert_pem", want: []string{"string length must be at least 1, got: 0"}},

	// Retry backoff: 0, or 100 to 1000000 ms, initial at most max.
	{name: "initial backoff below 100", config: customWith(network(map[string]tftypes.Value{"retry_backoff_initial": num(99)})),
		path: "network_config.retry_backoff_initial", want: []string{"Invalid retry backoff", "retry_backoff_initial is 99 ms: it must be 0 (Bifrost's default) or between 100 and 1000000 ms"}},
	{name: "negative max backoff", config: customWith(network(map[string]tftypes.Value{"retry_backoff_max": num(-1)})),
		path: "network_config.retry_backoff_max", want: []string{"retry_backoff_max is -1 ms: it must be 0 (Bifrost's default) or between 100 and 1000000 ms"}},
	{name: "max backoff above 1000000", config: customWith(network(map[string]tftypes.Value{"retry_backoff_max": num(1_000_001)})),
		path: "network_config.retry_backoff_max", want: []string{"retry_backoff_max is 1000001 ms"}},
	{name: "initial backoff above the default max", config: customWith(network(map[string]tftypes.Value{"retry_backoff_initial": num(6000)})),
		path: "network_config.retry_backoff_initial", want: []string{"retry_backoff_initial is 6000 ms but retry_backoff_max is 5000 ms", "the initial backoff must be at most the maximum", "Omitted, they are 500 and 5000 ms"}},
	{name: "max backoff below the default initial", config: customWith(network(map[string]tftypes.Value{"retry_backoff_max": num(400)})),
		path: "network_config.retry_backoff_initial", want: []string{"retry_backoff_initial is 500 ms but retry_backoff_max is 400 ms"}},
	{name: "initial backoff above max", config: customWith(network(map[string]tftypes.Value{"retry_backoff_initial": num(200), "retry_backoff_max": num(150)})),
		path: "network_config.retry_backoff_initial", want: []string{"retry_backoff_initial is 200 ms but retry_backoff_max is 150 ms"}},

	// concurrency_and_buffer_size: both at least 1, concurrency at most buffer_size.
	{name: "concurrency 0", config: customWith(concurrency(map[string]tftypes.Value{"concurrency": num(0)})),
		path: "concurrency_and_buffer_size.concurrency", want: []string{"Invalid concurrency", "concurrency is 0: it must be at least 1"}},
	{name: "buffer size 0", config: customWith(concurrency(map[string]tftypes.Value{"concurrency": num(1), "buffer_size": num(0)})),
		path: "concurrency_and_buffer_size.buffer_size", want: []string{"Invalid buffer size", "buffer_size is 0: it must be at least 1"}},
	{name: "concurrency above the default buffer size", config: customWith(concurrency(map[string]tftypes.Value{"concurrency": num(6000)})),
		path: "concurrency_and_buffer_size.concurrency", want: []string{"Concurrency above buffer size", "concurrency is 6000 but buffer_size is 5000", "must be at most buffer_size", "Omitted, they are 1000 and 5000"}},
	{name: "buffer size below the default concurrency", config: customWith(concurrency(map[string]tftypes.Value{"buffer_size": num(500)})),
		path: "concurrency_and_buffer_size.concurrency", want: []string{"concurrency is 1000 but buffer_size is 500"}},
	{name: "concurrency above buffer size", config: customWith(concurrency(map[string]tftypes.Value{"concurrency": num(10), "buffer_size": num(5)})),
		path: "concurrency_and_buffer_size.concurrency", want: []string{"concurrency is 10 but buffer_size is 5"}},

	// proxy_config.
	{name: "http proxy without url", config: customWith(proxy(map[string]tftypes.Value{"type": str("http")})),
		path: "proxy_config.url", want: []string{"Missing proxy URL", `proxy_config.type is "http": set proxy_config.url`}},
	{name: "socks5 proxy without url", config: customWith(proxy(map[string]tftypes.Value{"type": str("socks5")})),
		path: "proxy_config.url", want: []string{`proxy_config.type is "socks5": set proxy_config.url`}},
	{name: "unknown proxy type", config: customWith(proxy(map[string]tftypes.Value{"type": str("https"), "url": str("https://proxy:3128")})),
		path: "proxy_config.type", want: []string{`value must be one of: ["none" "http" "socks5" "environment"], got: "https"`}},
	{name: "empty proxy url", config: customWith(proxy(map[string]tftypes.Value{"type": str("http"), "url": str("")})),
		path: "proxy_config.url", want: []string{"string length must be at least 1, got: 0"}},
	{name: "empty proxy username", config: customWith(proxy(map[string]tftypes.Value{"type": str("http"), "url": str("http://proxy:3128"), "username": str("")})),
		path: "proxy_config.username", want: []string{"string length must be at least 1, got: 0"}},

	// custom_provider_config.
	{name: "custom provider named like a built-in one", config: named("openai", map[string]tftypes.Value{"base_provider_type": str("openai")}),
		path: "custom_provider_config", want: []string{"Custom provider named like a built-in one", `"openai" is a built-in provider type: custom_provider_config is only for providers with another name`}},
	{name: "empty base provider type", config: named("my-llm", map[string]tftypes.Value{"base_provider_type": str("")}),
		path: "custom_provider_config.base_provider_type", want: []string{"Missing base provider type", "custom_provider_config.base_provider_type is empty", `e.g. "openai"`}},
	{name: "base type not built in", config: named("my-llm", map[string]tftypes.Value{"base_provider_type": str("my-other-custom")}),
		path: "custom_provider_config.base_provider_type", want: []string{"Invalid base provider type", `base_provider_type is "my-other-custom"; a custom provider can be based on one of anthropic, bedrock, cohere, gemini, huggingface, openai, replicate`}},
	{name: "base type that cannot be a base", config: named("my-llm", map[string]tftypes.Value{"base_provider_type": str("azure")}),
		path: "custom_provider_config.base_provider_type", want: []string{`base_provider_type is "azure"; a custom provider can be based on one of`}},
	{name: "unknown request type", config: named("my-llm", map[string]tftypes.Value{"base_provider_type": str("openai"), "allowed_requests": strSet("chat_completion", "chat")}),
		path: `custom_provider_config.allowed_requests["chat"]`, want: []string{"value must be one of:", `"chat_completion"`, `got: "chat"`}},
	{name: "path override of an unknown request type", config: named("my-llm", map[string]tftypes.Value{"base_provider_type": str("openai"), "request_path_overrides": strMap(map[string]string{"chat": "/v2/chat"})}),
		path: `custom_provider_config.request_path_overrides["chat"]`, want: []string{"value must be one of:", `got: "chat"`}},
	{name: "empty path override", config: named("my-llm", map[string]tftypes.Value{"base_provider_type": str("openai"), "request_path_overrides": strMap(map[string]string{"chat_completion": ""})}),
		path: `custom_provider_config.request_path_overrides["chat_completion"]`, want: []string{"string length must be at least 1, got: 0"}},
	{name: "empty path overrides", config: named("my-llm", map[string]tftypes.Value{"base_provider_type": str("openai"), "request_path_overrides": strMap(map[string]string{})}),
		path: "custom_provider_config.request_path_overrides", want: []string{"map must contain at least 1 elements, got: 0"}},
}

var goodProviderCases = []providerCase{
	{name: "built-in provider", config: named("openai", nil)},
	{name: "custom provider", config: named("my-custom.provider_1", map[string]tftypes.Value{"base_provider_type": str("anthropic")})},
	{name: "name of 64 characters", config: named(strings.Repeat("n", 64), map[string]tftypes.Value{"base_provider_type": str("openai")})},
	{name: "https base url with a path", config: customWith(network(map[string]tftypes.Value{"base_url": str("https://llm.example.com/v1")}))},
	{name: "loopback http base url", config: customWith(network(map[string]tftypes.Value{"base_url": str("http://localhost:8080")}))},
	{name: "backoffs 0", config: customWith(network(map[string]tftypes.Value{"retry_backoff_initial": num(0), "retry_backoff_max": num(0)}))},
	{name: "initial backoff 0 below max", config: customWith(network(map[string]tftypes.Value{"retry_backoff_initial": num(0), "retry_backoff_max": num(100)}))},
	{name: "initial backoff above a max of 0", config: customWith(network(map[string]tftypes.Value{"retry_backoff_initial": num(6000), "retry_backoff_max": num(0)}))},
	{name: "backoffs at the bounds", config: customWith(network(map[string]tftypes.Value{"retry_backoff_initial": num(100), "retry_backoff_max": num(1_000_000)}))},
	{name: "equal backoffs", config: customWith(network(map[string]tftypes.Value{"retry_backoff_initial": num(1_000_000), "retry_backoff_max": num(1_000_000)}))},
	{name: "every version-dependent timeout", config: customWith(network(map[string]tftypes.Value{
		"default_request_timeout_in_seconds": num(1), "stream_idle_timeout_in_seconds": num(1), "keep_alive_timeout_in_seconds": num(1)}))},
	{name: "concurrency equal to the default buffer size", config: customWith(concurrency(map[string]tftypes.Value{"concurrency": num(5000)}))},
	{name: "concurrency and buffer size 1", config: customWith(concurrency(map[string]tftypes.Value{"concurrency": num(1), "buffer_size": num(1)}))},
	{name: "no proxy", config: customWith(proxy(map[string]tftypes.Value{"type": str("none")}))},
	{name: "proxy of the environment", config: customWith(proxy(map[string]tftypes.Value{"type": str("environment")}))},
	{name: "http proxy", config: customWith(proxy(map[string]tftypes.Value{"type": str("http"), "url": str("env.PROXY_URL"), "password": str("env.PROXY_PASSWORD")}))},
	{name: "request types", config: named("my-llm", map[string]tftypes.Value{"base_provider_type": str("openai"),
		"allowed_requests":       strSet("chat_completion", "chat_completion_stream", "list_models", "realtime"),
		"request_path_overrides": strMap(map[string]string{"chat_completion": "/v2/chat"})})},
	{name: "no request types", config: named("my-llm", map[string]tftypes.Value{"base_provider_type": str("openai"), "allowed_requests": strSet()})},
}

// providerServer is an emulator of version and the provider configured
// against it.
func providerServer(t *testing.T, version string) (*acctest.ProtocolServer, *emulator.Server, providerShape) {
	t.Helper()
	srv, err := emulator.Start(emulator.Options{Version: version})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	ps := acctest.NewProtocolServer(t, srv.URL())
	typ, ok := ps.ResourceType(resourceType).(tftypes.Object)
	if !ok {
		t.Fatalf("%s is not an object", ps.ResourceType(resourceType))
	}
	return ps, srv, providerShape{typ: typ}
}

func expectNoWrites(t *testing.T, srv *emulator.Server) {
	t.Helper()
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
		if n := srv.Count(m, "/api/"); n != 0 {
			t.Errorf("%d %s requests reached the server during plan-time validation", n, m)
		}
	}
}

// TestProviderPlanTimeValidation gives each bad input to the provider as
// Terraform does at plan time, and checks the one error it gets: on the bad
// attribute, naming the bad value and what is allowed.
func TestProviderPlanTimeValidation(t *testing.T) {
	ps, srv, s := providerServer(t, "v2.2.6")
	for _, tc := range badProviderCases {
		t.Run(tc.name, func(t *testing.T) {
			expectOne(t, planTimeDiags(t, ps, tc.config(t, s)), tfprotov6.DiagnosticSeverityError, tc.path, tc.want)
		})
	}
	expectNoWrites(t, srv)
}

// TestProviderPlanTimeValidation_good: valid configurations, including the
// edges of the rules above, plan without any diagnostic.
func TestProviderPlanTimeValidation_good(t *testing.T) {
	ps, srv, s := providerServer(t, "v2.2.6")
	for _, tc := range goodProviderCases {
		t.Run(tc.name, func(t *testing.T) {
			if diags := planTimeDiags(t, ps, tc.config(t, s)); len(diags) != 0 {
				t.Errorf("want no diagnostics, got:%s", acctest.RenderDiags(diags))
			}
		})
	}
	expectNoWrites(t, srv)
}

// TestProviderPlanTimeValidation_notBuiltIn: a name that is neither a
// built-in type nor a custom provider is a warning (Bifrost accepts it),
// not an error.
func TestProviderPlanTimeValidation_notBuiltIn(t *testing.T) {
	ps, _, s := providerServer(t, "v2.2.6")
	expectOne(t, planTimeDiags(t, ps, named("opnai", nil)(t, s)), tfprotov6.DiagnosticSeverityWarning, "name", []string{
		"Not a built-in provider type",
		`"opnai" is not one of the built-in provider types`,
		"check the spelling, or add custom_provider_config { base_provider_type = ... }",
	})
}

// TestProviderPlanTimeValidation_serverVersion: keep_alive_timeout_in_seconds
// is refused at plan time by a Bifrost 1 server, which would silently drop
// it; when the version cannot be read, the plan warns.
func TestProviderPlanTimeValidation_serverVersion(t *testing.T) {
	keepAlive := customWith(network(map[string]tftypes.Value{"keep_alive_timeout_in_seconds": num(30)}))

	t.Run("v1.5.1 refuses keep_alive_timeout_in_seconds", func(t *testing.T) {
		ps, srv, s := providerServer(t, "v1.5.1")
		expectOne(t, planTimeDiags(t, ps, keepAlive(t, s)), tfprotov6.DiagnosticSeverityError, "network_config.keep_alive_timeout_in_seconds", []string{
			"Not supported by this Bifrost version",
			"keep_alive_timeout_in_seconds needs Bifrost ≥ 2.0, but the server at " + srv.URL() + " runs v1.5.1",
			"Remove it or upgrade Bifrost",
		})
		expectNoWrites(t, srv)
	})

	t.Run("v1.5.1 accepts the other timeouts", func(t *testing.T) {
		ps, _, s := providerServer(t, "v1.5.1")
		cfg := customWith(network(map[string]tftypes.Value{"default_request_timeout_in_seconds": num(45), "stream_idle_timeout_in_seconds": num(90)}))
		if diags := planTimeDiags(t, ps, cfg(t, s)); len(diags) != 0 {
			t.Errorf("want no diagnostics, got:%s", acctest.RenderDiags(diags))
		}
	})

	t.Run("v2.2.6 accepts keep_alive_timeout_in_seconds", func(t *testing.T) {
		ps, _, s := providerServer(t, "v2.2.6")
		if diags := planTimeDiags(t, ps, keepAlive(t, s)); len(diags) != 0 {
			t.Errorf("want no diagnostics, got:%s", acctest.RenderDiags(diags))
		}
	})

	t.Run("version unreadable", func(t *testing.T) {
		ps, srv, s := providerServer(t, "v1.5.1")
		srv.FailNext(1, emulator.Fault{Method: http.MethodGet, PathPrefix: "/api/version", Status: http.StatusInternalServerError, Message: "version store down"})
		expectOne(t, planTimeDiags(t, ps, keepAlive(t, s)), tfprotov6.DiagnosticSeverityWarning, "", []string{
			"Cannot tell the Bifrost version", "version store down",
		})
	})
}

// TestProviderImportID: bifrost_provider is imported by the provider's name;
// anything that is not a provider name is refused before reaching Bifrost.
func TestProviderImportID(t *testing.T) {
	ps, srv, _ := providerServer(t, "v2.2.6")
	ctx := context.Background()
	importID := func(t *testing.T, id string) *tfprotov6.ImportResourceStateResponse {
		t.Helper()
		resp, err := ps.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{TypeName: resourceType, ID: id})
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	for _, id := range []string{"openai", "my-custom.provider_1", "Upper_Case", strings.Repeat("n", 64)} {
		t.Run("accepts "+id, func(t *testing.T) {
			resp := importID(t, id)
			if len(resp.Diagnostics) != 0 || len(resp.ImportedResources) != 1 {
				t.Fatalf("import %q: %d resources, diagnostics:%s", id, len(resp.ImportedResources), acctest.RenderDiags(resp.Diagnostics))
			}
			state := acctest.Attrs(t, ps.ResourceType(resourceType), resp.ImportedResources[0].State)
			if got := acctest.Str(t, state["name"]); got != id {
				t.Errorf("import %q set name %q", id, got)
			}
		})
	}
	for _, id := range []string{"", "open ai", "openai/keys", "-openai", ".hidden", strings.Repeat("n", 65), "openai\n"} {
		t.Run(fmt.Sprintf("refuses %q", id), func(t *testing.T) {
			expectOne(t, importID(t, id).Diagnostics, tfprotov6.DiagnosticSeverityError, "", []string{
				"Invalid import ID",
				fmt.Sprintf("%q is not an import ID of bifrost_provider", id),
				`expected the provider's name, e.g. "openai" or "my-custom-provider"`,
			})
		})
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests reached the server during imports (the import only records the name)", n)
	}
}
