package bench

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRenderConfig(t *testing.T) {
	providers := []string{"openai", "anthropic"}
	ours := renderConfig(ours, 3, providers, "bench-x", 0.5, "http://127.0.0.1:9/ws")
	for _, want := range []string{
		"terraform {\n  backend \"http\" {\n    address = \"http://127.0.0.1:9/ws\"\n  }\n  required_providers {",
		`source = "maximhq/bifrost"`,
		`providers = ["openai", "anthropic"]`,
		`resource "bifrost_provider_key" "k" {`,
		"count = 3",
		`provider_name = local.providers[count.index % length(local.providers)]`,
		`name          = "bench-x-${count.index}"`,
		`value         = "sk-bench-${format("%032d", count.index)}"`,
		`models        = ["gpt-4o-mini"]`,
		"weight        = 0.5",
	} {
		if !strings.Contains(ours, want) {
			t.Errorf("bifrost config lacks %q:\n%s", want, ours)
		}
	}

	// The protocol and framework floors serve the same configuration.
	for _, k := range []workspaceKind{protocolFloor, frameworkFloor} {
		if got := renderConfig(k, 3, providers, "bench-x", 0.5, "http://127.0.0.1:9/ws"); got != ours {
			t.Errorf("config of workspace kind %d differs from ours:\n%s", k, got)
		}
	}

	floor := renderConfig(terraformFloor, 3, providers, "bench-x", 1, "")
	for _, want := range []string{
		`resource "terraform_data" "k" {`,
		"  input = {\n    provider_name = ",
		`value         = sensitive("sk-bench-${format("%032d", count.index)}")`,
		"weight        = 1\n",
		// The other attributes of a key's state, as nulls.
		"    id = null\n",
		"    value_wo = null\n",
		"    azure_key_config = null\n",
		"    timeouts = null\n",
	} {
		if !strings.Contains(floor, want) {
			t.Errorf("terraform_data config lacks %q:\n%s", want, floor)
		}
	}
	if strings.Contains(floor, "provider_name = null") || strings.Contains(floor, "weight = null") {
		t.Errorf("terraform_data config sets a configured attribute to null:\n%s", floor)
	}
	// Every attribute of the key's state is in the floor's input: 5 set, the
	// others null.
	if got := strings.Count(floor, " = null\n"); got+len(configuredAttributes) < 25 {
		t.Errorf("terraform_data input has %d null attributes; the key's state has more:\n%s", got, floor)
	}
	// With the local backend and no provider, no terraform block at all.
	if strings.Contains(floor, "bifrost") || strings.Contains(floor, "terraform {") {
		t.Errorf("terraform_data config has a terraform block or mentions the bifrost provider:\n%s", floor)
	}

	// `terraform init` must not see the provider: it would try the registry.
	if got, want := renderBackendOnly("http://h/ws"), "terraform {\n  backend \"http\" {\n    address = \"http://h/ws\"\n  }\n}\n\n"; got != want {
		t.Errorf("renderBackendOnly = %q, want %q", got, want)
	}
}

// The HCL of renderConfig and the Go helpers of the server floor must make
// the same keys.
func TestKeyHelpersMatchHCL(t *testing.T) {
	if got, want := keyValue(7), "sk-bench-00000000000000000000000000000007"; got != want {
		t.Errorf("keyValue(7) = %q, want %q", got, want)
	}
	if got := keyName("bench-x", 7); got != "bench-x-7" {
		t.Errorf("keyName = %q", got)
	}
	if got := keyProvider([]string{"a", "b", "c"}, 7); got != "b" {
		t.Errorf("keyProvider = %q, want b (7 %% 3 = 1)", got)
	}
}

func TestRenderVirtualKeyConfig(t *testing.T) {
	providers := []string{"openai", "anthropic"}
	got := renderVirtualKeyConfig(3, providers, "bench-vk", weightAfter, "http://127.0.0.1:9/ws")
	for _, want := range []string{
		"terraform {\n  backend \"http\" {\n    address = \"http://127.0.0.1:9/ws\"\n  }\n  required_providers {",
		`source = "maximhq/bifrost"`,
		"provider \"bifrost\" {}\n",
		`providers = ["openai", "anthropic"]`,
		"resource \"bifrost_virtual_key\" \"k\" {\n  count = 3\n",
		`  name        = "bench-vk-${count.index}"`,
		`  description = "bench 0.5"`,
		`  budgets     = [{ max_limit = 100, reset_duration = "1M" }]`,
		"  provider_configs = {\n    (local.providers[count.index % length(local.providers)]) = {}\n  }\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("virtual key config lacks %q:\n%s", want, got)
		}
	}
	// One budget, one provider config, no provider key: key_ids default to all.
	if strings.Count(got, "max_limit") != 1 || strings.Contains(got, "key_ids") || strings.Contains(got, "bifrost_provider_key") {
		t.Errorf("virtual key config has more than one budget or names provider keys:\n%s", got)
	}
	if before := renderVirtualKeyConfig(3, providers, "bench-vk", weightBefore, ""); !strings.Contains(before, `description = "bench 1"`) ||
		strings.Contains(before, "backend") {
		t.Errorf("virtual key config before the update:\n%s", before)
	}
	// The workspace writes it for its kind, the update phase's description
	// from then on.
	dir := t.TempDir()
	ws := &workspace{s: &session{opts: Options{Providers: providers}}, dir: dir, kind: virtualKeys, n: 3, prefix: "bench-vk"}
	for p, want := range map[Phase]string{PhaseCreate: "bench 1", PhasePlan: "bench 1", PhaseUpdate: "bench 0.5", PhaseDestroy: "bench 0.5"} {
		if err := ws.configure(p); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, "main.tf"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), "description = \""+want+"\"") || !strings.Contains(string(b), "bifrost_virtual_key") {
			t.Errorf("%s: main.tf lacks description %q:\n%s", p, want, b)
		}
	}
	// The server floor creates the same keys.
	c := vkCreate("bench-vk", providers, 3)
	if c.Name != keyName("bench-vk", 3) || c.Description != vkDescription(weightBefore) || len(c.Budgets) != 1 ||
		c.Budgets[0].MaxLimit != vkBudgetLimit || c.Budgets[0].ResetDuration != vkBudgetReset ||
		len(c.ProviderConfigs) != 1 || c.ProviderConfigs[0].Provider != "anthropic" {
		t.Errorf("vkCreate = %+v", c)
	}
}
