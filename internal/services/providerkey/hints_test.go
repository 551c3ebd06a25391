package providerkey_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// The diagnostics of writes Bifrost refuses (or accepts with a gap), driven
// at the protocol level as Terraform drives an apply: each names the
// attribute at fault, says what to do, and keeps Bifrost's own answer.

// hintVersions are the server generations the tests run against: their
// answers differ in shape (v1.5 env_var/from_env, v2 ref/type) and status
// (500 or 409 for a taken name); 2.2.5 is the last v2 without the setup
// lock.
var hintVersions = []string{"v1.5.1", "v2.2.5"}

// hintServer is an emulator of version with opts and the provider
// configured against it.
func hintServer(t *testing.T, version string, opts emulator.Options) (*acctest.ProtocolServer, *emulator.Server) {
	t.Helper()
	opts.Version = version
	srv, err := emulator.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return acctest.NewProtocolServer(t, srv.URL()), srv
}

// withoutWriteOnly is a configuration as Terraform proposes it: without
// value_wo.
func withoutWriteOnly(config map[string]tftypes.Value) map[string]tftypes.Value {
	out := map[string]tftypes.Value{}
	for n, v := range config {
		if n != "value_wo" {
			out[n] = v
		}
	}
	return out
}

// applyCreate validates, plans and applies the creation of a key with
// config, as Terraform does; validation and plan must pass.
func applyCreate(t *testing.T, ps *acctest.ProtocolServer, config map[string]tftypes.Value) *tfprotov6.ApplyResourceChangeResponse {
	t.Helper()
	if diags := planTimeDiags(t, ps, typeName, config); acctest.HasErrors(diags) {
		t.Fatalf("plan of the create failed:%s", acctest.RenderDiags(diags))
	}
	typ := ps.ResourceType(typeName)
	ctx := context.Background()
	cfg, proposed, prior := ps.Value(t, typ, config), ps.Value(t, typ, withoutWriteOnly(config)), nullValue(t, typ)
	plan, err := ps.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: typeName, Config: &cfg, PriorState: &prior, ProposedNewState: &proposed,
	})
	if err != nil {
		t.Fatal(err)
	}
	apply, err := ps.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: typeName, Config: &cfg, PriorState: &prior, PlannedState: plan.PlannedState, PlannedPrivate: plan.PlannedPrivate,
	})
	if err != nil {
		t.Fatal(err)
	}
	return apply
}

// applyUpdate plans and applies config over the state a create left.
func applyUpdate(t *testing.T, ps *acctest.ProtocolServer, created *tfprotov6.ApplyResourceChangeResponse, config map[string]tftypes.Value) *tfprotov6.ApplyResourceChangeResponse {
	t.Helper()
	typ := ps.ResourceType(typeName)
	ctx := context.Background()
	// Terraform proposes the configuration over the prior state: the
	// attributes the configuration leaves null keep their state.
	proposedAttrs := acctest.Attrs(t, typ, created.NewState)
	for n, v := range withoutWriteOnly(config) {
		proposedAttrs[n] = v
	}
	cfg, proposed := ps.Value(t, typ, config), ps.Value(t, typ, proposedAttrs)
	plan, err := ps.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: typeName, Config: &cfg, PriorState: created.NewState, ProposedNewState: &proposed, PriorPrivate: created.Private,
	})
	if err != nil || acctest.HasErrors(plan.Diagnostics) {
		t.Fatalf("plan of the update failed: %v%s", err, acctest.RenderDiags(plan.Diagnostics))
	}
	apply, err := ps.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: typeName, Config: &cfg, PriorState: created.NewState, PlannedState: plan.PlannedState, PlannedPrivate: plan.PlannedPrivate,
	})
	if err != nil {
		t.Fatal(err)
	}
	return apply
}

// mustCreate creates a key that must be created without diagnostics.
func mustCreate(t *testing.T, ps *acctest.ProtocolServer, config map[string]tftypes.Value) *tfprotov6.ApplyResourceChangeResponse {
	t.Helper()
	r := applyCreate(t, ps, config)
	if len(r.Diagnostics) != 0 {
		t.Fatalf("create:%s", acctest.RenderDiags(r.Diagnostics))
	}
	return r
}

// expectDiag checks that diags are exactly one diagnostic of severity, on
// attribute path, saying every string of want and none of hidden.
func expectDiag(t *testing.T, diags []*tfprotov6.Diagnostic, severity tfprotov6.DiagnosticSeverity, path string, want, hidden []string) {
	t.Helper()
	acctest.ExpectOneDiag(t, diags, severity, path, want, hidden)
}

const (
	errorSev   = tfprotov6.DiagnosticSeverityError
	warningSev = tfprotov6.DiagnosticSeverityWarning
)

// TestWriteError_providerMissing: a key for a provider Bifrost does not
// have names the provider and shows the bifrost_provider resource and the
// reference (or depends_on) that create it first.
func TestWriteError_providerMissing(t *testing.T) {
	fix := func(label, name string) []string {
		return []string{
			"Create the provider with a bifrost_provider resource and reference it from the key",
			`resource "bifrost_provider" "` + label + `" {` + "\n    name = \"" + name + `"`,
			"provider_name = bifrost_provider." + label + ".name",
			"add depends_on = [bifrost_provider." + label + "] to the key",
			"check provider_name against Bifrost's providers",
		}
	}
	for _, version := range hintVersions {
		t.Run(version, func(t *testing.T) {
			ps, srv := hintServer(t, version, emulator.Options{Providers: []string{"openai", "anthropic"}})
			s := newKeyShape(t, ps)

			t.Run("create", func(t *testing.T) {
				r := applyCreate(t, ps, s.key(map[string]tftypes.Value{"provider_name": str("mistral"), "name": str("m1")}))
				expectDiag(t, r.Diagnostics, errorSev, "provider_name", append(fix("mistral", "mistral"),
					`Provider "mistral" not found in Bifrost`,
					`Bifrost has no provider named "mistral", so it cannot hold this key`,
					"built-in ones such as openai included",
					`It has 2 providers: "anthropic", "openai".`,
					"Bifrost said: Bifrost answered HTTP 404 to POST /api/providers/mistral/keys: Provider not found: not found",
				), []string{okSecret})
			})
			t.Run("name that is no identifier", func(t *testing.T) {
				r := applyCreate(t, ps, s.key(map[string]tftypes.Value{"provider_name": str("9my.custom"), "name": str("m2")}))
				expectDiag(t, r.Diagnostics, errorSev, "provider_name", fix("provider_9my_custom", "9my.custom"), nil)
			})
			t.Run("name in another case", func(t *testing.T) {
				r := applyCreate(t, ps, s.key(map[string]tftypes.Value{"provider_name": str("OpenAI"), "name": str("m3")}))
				expectDiag(t, r.Diagnostics, errorSev, "provider_name", []string{`It has "openai": provider names are case-sensitive.`}, nil)
			})
			t.Run("created in the same apply", func(t *testing.T) {
				// The provider appeared while the key was sent: a
				// bifrost_provider resource the key does not depend on.
				srv.FailNext(1, emulator.Fault{Method: http.MethodPost, PathPrefix: "/api/providers/openai/keys", Status: http.StatusNotFound, Message: "Provider not found: not found"})
				r := applyCreate(t, ps, s.key(map[string]tftypes.Value{"name": str("m4")}))
				expectDiag(t, r.Diagnostics, errorSev, "provider_name", []string{
					`Bifrost had no provider named "openai" when the key was sent, but has one now`,
					"by a bifrost_provider resource the key does not depend on, so Terraform sent both at once.",
					`Make the key depend on that resource (here labelled "openai"), so that Terraform creates the provider first, then apply again`,
					"provider_name = bifrost_provider.openai.name",
					"add depends_on = [bifrost_provider.openai] to the key",
				}, []string{"Bifrost has no provider named", `resource "bifrost_provider"`})
			})
			t.Run("update", func(t *testing.T) {
				// The provider was deleted outside Terraform, and the
				// plan did not refresh (-refresh=false).
				ps, srv := hintServer(t, version, emulator.Options{Providers: []string{"openai", "anthropic"}})
				created := mustCreate(t, ps, s.key(map[string]tftypes.Value{"name": str("m5")}))
				c, _ := bifrost.New(bifrost.Config{Endpoint: srv.URL()})
				if err := c.DeleteProvider(context.Background(), "openai"); err != nil {
					t.Fatal(err)
				}
				r := applyUpdate(t, ps, created, s.key(map[string]tftypes.Value{"name": str("m5"), "weight": num(2)}))
				expectDiag(t, r.Diagnostics, errorSev, "provider_name", append(fix("openai", "openai"),
					`Provider "openai" not found in Bifrost`, `It has 1 provider: "anthropic".`,
					"Bifrost answered HTTP 404 to PUT /api/providers/openai/keys/"), nil)
			})
		})
	}
	t.Run("one provider", func(t *testing.T) {
		ps, _ := hintServer(t, "v1.5.1", emulator.Options{Providers: []string{"openai"}})
		r := applyCreate(t, ps, newKeyShape(t, ps).key(map[string]tftypes.Value{"provider_name": str("mistral")}))
		expectDiag(t, r.Diagnostics, errorSev, "provider_name", []string{`It has 1 provider: "openai".`}, nil)
	})
	t.Run("no provider", func(t *testing.T) {
		ps, _ := hintServer(t, "v1.5.1", emulator.Options{})
		r := applyCreate(t, ps, newKeyShape(t, ps).key(nil))
		expectDiag(t, r.Diagnostics, errorSev, "provider_name", []string{`Bifrost has no provider named "openai"`, "It has no provider yet."}, nil)
	})
}

// TestWriteError_envNotSet: an env.NAME reference that Bifrost resolves to
// nothing is reported on the attribute that holds it, saying that Bifrost
// resolves it in its own environment and how to fix it, never with a
// secret.
func TestWriteError_envNotSet(t *testing.T) {
	const unset = "BIFROST_HINT_TEST_UNSET"
	envWant := func(srv *emulator.Server, attr, name string) []string {
		return []string{
			"Environment variable not set where Bifrost runs",
			attr + " is env." + name + ": Bifrost resolves an env.NAME reference itself, in the environment of its own process " +
				"(the Bifrost server at " + srv.URL() + "), not in the environment Terraform runs in. " + name + " is not set there, or is empty.",
			"set " + name + " in the environment Bifrost runs with (its container, service or shell) and restart Bifrost, then apply again",
		}
	}
	keyValueFix := "give the key itself instead of the reference: in value_wo (write-only, with value_wo_version; Terraform ≥ 1.11), or in value"
	for _, version := range hintVersions {
		t.Run(version, func(t *testing.T) {
			const rotating = "BIFROST_HINT_TEST_ROTATING"
			ps, srv := hintServer(t, version, emulator.Options{Providers: []string{"openai", "ollama"}, Env: map[string]string{rotating: okSecret}})
			s := newKeyShape(t, ps)

			t.Run("value", func(t *testing.T) {
				r := applyCreate(t, ps, s.key(map[string]tftypes.Value{"name": str("e1"), "value": str("env." + unset)}))
				expectDiag(t, r.Diagnostics, errorSev, "value", append(envWant(srv, "value", unset), keyValueFix,
					"So Bifrost found no value and refused the key.",
					"Bifrost said: Bifrost answered HTTP 400 to POST /api/providers/openai/keys: Key value must not be empty",
				), []string{"set in Terraform's environment"})
			})
			t.Run("value_wo", func(t *testing.T) {
				r := applyCreate(t, ps, s.key(map[string]tftypes.Value{"name": str("e2"), "value": nullString(),
					"value_wo": str("env." + unset), "value_wo_version": num(1)}))
				expectDiag(t, r.Diagnostics, errorSev, "value_wo", append(envWant(srv, "value_wo", unset), keyValueFix), nil)
			})
			t.Run("ollama url", func(t *testing.T) {
				r := applyCreate(t, ps, s.key(map[string]tftypes.Value{"provider_name": str("ollama"), "name": str("e3"), "value": nullString(),
					"ollama_key_config": s.block(t, "ollama_key_config", map[string]tftypes.Value{"url": str("env." + unset)})}))
				expectDiag(t, r.Diagnostics, errorSev, "ollama_key_config.url", append(envWant(srv, "ollama_key_config.url", unset),
					"set ollama_key_config.url to the value itself instead of the reference",
					"Bifrost said: Bifrost answered HTTP 400 to POST /api/providers/ollama/keys: ollama_key_config.url is required for Ollama keys",
				), []string{"value_wo"})
			})
			t.Run("update after the variable went away", func(t *testing.T) {
				cfg := s.key(map[string]tftypes.Value{"name": str("e4"), "value": str("env." + rotating)})
				created := mustCreate(t, ps, cfg)
				srv.Unsetenv(rotating)
				t.Cleanup(func() { srv.Setenv(rotating, okSecret) })
				cfg["weight"] = num(3)
				r := applyUpdate(t, ps, created, cfg)
				expectDiag(t, r.Diagnostics, errorSev, "value", append(envWant(srv, "value", rotating),
					"Bifrost answered HTTP 400 to PUT /api/providers/openai/keys/"), []string{okSecret})
			})
			t.Run("set only in Terraform's environment", func(t *testing.T) {
				const tfOnly = "BIFROST_HINT_TEST_TF_ONLY"
				t.Setenv(tfOnly, woSecret)
				r := applyCreate(t, ps, s.key(map[string]tftypes.Value{"name": str("e5"), "value": str("env." + tfOnly)}))
				expectDiag(t, r.Diagnostics, errorSev, "value", append(envWant(srv, "value", tfOnly),
					"("+tfOnly+" is set in Terraform's environment, but Bifrost does not see that one.)"), []string{woSecret})
			})
			t.Run("literal value", func(t *testing.T) {
				// The same answer for a literal is not about the environment.
				srv.FailNext(1, emulator.Fault{Method: http.MethodPost, PathPrefix: "/api/providers/openai/keys", Status: http.StatusBadRequest, Message: "Key value must not be empty"})
				r := applyCreate(t, ps, s.key(map[string]tftypes.Value{"name": str("e6")}))
				expectDiag(t, r.Diagnostics, errorSev, "", []string{"Cannot create the provider key", "Key value must not be empty"},
					[]string{"environment", okSecret})
			})
		})
	}
}

// TestWriteWarning_envEmpty: a key Bifrost saves with an env.NAME field it
// resolved to nothing (providers whose keys may go without a value) gets a
// warning on that field; a resolved one gets none.
func TestWriteWarning_envEmpty(t *testing.T) {
	const unset, set = "BIFROST_HINT_TEST_AZURE_UNSET", "BIFROST_HINT_TEST_AZURE_SET"
	for _, version := range hintVersions {
		t.Run(version, func(t *testing.T) {
			ps, srv := hintServer(t, version, emulator.Options{Providers: []string{"azure", "bedrock"},
				Env: map[string]string{set: "https://set.openai.azure.com"}})
			s := newKeyShape(t, ps)
			wantFor := func(attr, wire, name string) []string {
				return []string{
					"Environment variable not set where Bifrost runs",
					attr + " is env." + name + ": Bifrost resolves an env.NAME reference itself, in the environment of its own process (the Bifrost server at " + srv.URL() + ")",
					"Bifrost saved the key, but uses an empty " + wire + " until " + name + " is set in Bifrost's environment and Bifrost is restarted.",
				}
			}

			t.Run("block field", func(t *testing.T) {
				r := applyCreate(t, ps, s.key(map[string]tftypes.Value{"provider_name": str("azure"), "name": str("w1"), "value": nullString(),
					"azure_key_config": s.block(t, "azure_key_config", map[string]tftypes.Value{"endpoint": str("env." + unset)})}))
				expectDiag(t, r.Diagnostics, warningSev, "azure_key_config.endpoint",
					wantFor("azure_key_config.endpoint", "azure_key_config.endpoint", unset), nil)
			})
			t.Run("value and a sensitive block field", func(t *testing.T) {
				r := applyCreate(t, ps, s.key(map[string]tftypes.Value{"provider_name": str("bedrock"), "name": str("w2"), "value": str("env." + unset),
					"bedrock_key_config": s.block(t, "bedrock_key_config", map[string]tftypes.Value{
						"access_key": str("env." + unset), "secret_key": str("AKIA-literal-secret-0123456789")})}))
				if len(r.Diagnostics) != 2 {
					t.Fatalf("want 2 warnings, got:%s", acctest.RenderDiags(r.Diagnostics))
				}
				expectDiag(t, r.Diagnostics[:1], warningSev, "value", wantFor("value", "value", unset), nil)
				expectDiag(t, r.Diagnostics[1:], warningSev, "bedrock_key_config.access_key",
					wantFor("bedrock_key_config.access_key", "bedrock_key_config.access_key", unset), []string{"AKIA-literal-secret"})
			})
			t.Run("resolved", func(t *testing.T) {
				mustCreate(t, ps, s.key(map[string]tftypes.Value{"provider_name": str("azure"), "name": str("w3"), "value": nullString(),
					"azure_key_config": s.block(t, "azure_key_config", map[string]tftypes.Value{"endpoint": str("env." + set)})}))
			})
			t.Run("update", func(t *testing.T) {
				cfg := s.key(map[string]tftypes.Value{"provider_name": str("azure"), "name": str("w4"), "value": nullString(),
					"azure_key_config": s.block(t, "azure_key_config", map[string]tftypes.Value{"endpoint": str("env." + set)})})
				created := mustCreate(t, ps, cfg)
				cfg["azure_key_config"] = s.block(t, "azure_key_config", map[string]tftypes.Value{"endpoint": str("env." + unset)})
				r := applyUpdate(t, ps, created, cfg)
				expectDiag(t, r.Diagnostics, warningSev, "azure_key_config.endpoint",
					wantFor("azure_key_config.endpoint", "azure_key_config.endpoint", unset), nil)
			})
		})
	}
}

// TestWriteError_nameTaken: a taken name shows an import block with a
// suggested address, the import ID of the key that has the name, and the
// provider it belongs to.
func TestWriteError_nameTaken(t *testing.T) {
	for _, version := range hintVersions {
		t.Run(version, func(t *testing.T) {
			ps, srv := hintServer(t, version, emulator.Options{Providers: []string{"openai", "anthropic"}})
			s := newKeyShape(t, ps)
			c, err := bifrost.New(bifrost.Config{Endpoint: srv.URL()})
			if err != nil {
				t.Fatal(err)
			}
			existing := func(provider, name string) *bifrost.Key {
				k, err := c.CreateKey(context.Background(), provider, bifrost.Key{Name: name, Value: bifrost.Literal("sk-existing-0123456789abcdef"), Models: []string{"*"}, Weight: 1})
				if err != nil {
					t.Fatal(err)
				}
				return k
			}
			ownAddress := `is a suggestion: use this resource's own address, which Terraform shows with this error ("with bifrost_provider_key.…"); a provider is not told it.`

			t.Run("in another provider", func(t *testing.T) {
				k := existing("anthropic", "taken key")
				importID := "anthropic/" + k.ID
				r := applyCreate(t, ps, s.key(map[string]tftypes.Value{"name": str("taken key")}))
				expectDiag(t, r.Diagnostics, errorSev, "name", []string{
					"Key name already taken",
					`Bifrost already has a key named "taken key", of provider "anthropic" (key names are unique across all providers). Choose another name.`,
					"Or bring the existing key under Terraform with an import block (Terraform ≥ 1.5):\n\n" +
						"  import {\n    to = bifrost_provider_key.taken_key\n    id = \"" + importID + "\"\n  }\n\n" +
						"or with the command:\n\n  terraform import bifrost_provider_key.taken_key " + importID,
					"bifrost_provider_key.taken_key " + ownAddress,
					`The existing key belongs to provider "anthropic": set provider_name = "anthropic" as well, or the import is followed by a replacement.`,
					"Bifrost said: Bifrost answered HTTP ",
				}, []string{okSecret})
			})
			t.Run("in the same provider", func(t *testing.T) {
				k := existing("openai", "1st")
				r := applyCreate(t, ps, s.key(map[string]tftypes.Value{"name": str("1st")}))
				expectDiag(t, r.Diagnostics, errorSev, "name", []string{
					`to = bifrost_provider_key.key_1st`, `id = "openai/` + k.ID + `"`, "bifrost_provider_key.key_1st " + ownAddress,
				}, []string{"belongs to provider"})
			})
			t.Run("on rename", func(t *testing.T) {
				k := existing("anthropic", "renamed-onto")
				cfg := s.key(map[string]tftypes.Value{"name": str("before-rename")})
				created := mustCreate(t, ps, cfg)
				cfg["name"] = str("renamed-onto")
				r := applyUpdate(t, ps, created, cfg)
				expectDiag(t, r.Diagnostics, errorSev, "name", []string{
					`Bifrost already has a key named "renamed-onto", of provider "anthropic"`,
					"To manage the existing key with Terraform as well, import it into a bifrost_provider_key resource of its own",
					"  import {\n    to = bifrost_provider_key.renamed-onto\n    id = \"anthropic/" + k.ID + "\"\n  }",
					"where bifrost_provider_key.renamed-onto stands for the address of that resource.",
				}, []string{"this resource's own address", "set provider_name"})
			})
		})
	}
	t.Run("id taken", func(t *testing.T) {
		ps, srv := hintServer(t, "v1.5.1", emulator.Options{Providers: []string{"openai"}})
		c, _ := bifrost.New(bifrost.Config{Endpoint: srv.URL()})
		if _, err := c.CreateKey(context.Background(), "openai", bifrost.Key{ID: "taken-id", Name: "other", Value: bifrost.Literal(okSecret), Models: []string{"*"}, Weight: 1}); err != nil {
			t.Fatal(err)
		}
		r := applyCreate(t, ps, newKeyShape(t, ps).key(map[string]tftypes.Value{"id": str("taken-id"), "name": str("mine")}))
		expectDiag(t, r.Diagnostics, errorSev, "id", []string{
			"Key id already taken", `Bifrost already has a key with id "taken-id". Choose another id, or leave id unset for a generated one.`,
			"  import {\n    to = bifrost_provider_key.mine\n    id = \"openai/taken-id\"\n  }",
		}, []string{okSecret})
	})
}

// TestWeightMessage: the range of weight is written with the numbers as
// configured.
func TestWeightMessage(t *testing.T) {
	ps, _ := validationServer(t, "v1.5.1")
	s := newKeyShape(t, ps)
	for _, tc := range []struct {
		weight float64
		got    string
	}{{-0.5, "got -0.5."}, {-1, "got -1."}, {-0.01, "got -0.01."}, {-1e-7, "got -1e-07."}} {
		expectOneError(t, planTimeDiags(t, ps, typeName, s.key(map[string]tftypes.Value{"weight": num(tc.weight)})), "weight",
			[]string{"Value out of range: weight must be at least 0, " + tc.got, "0 keeps the key out of load balancing"}, []string{"0.000000", "got:"})
	}
}
