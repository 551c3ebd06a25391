package acctest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// CLI runs the Terraform CLI (TF_ACC_TERRAFORM_PATH, else terraform from the
// PATH) in a directory of its own, against the provider served in this
// process, for workflows terraform-plugin-testing cannot drive: applying a
// configuration Terraform generated, as it was written, and `terraform
// query`. Needs TF_ACC, like every acceptance test.
type CLI struct {
	t   *testing.T
	bin string
	env []string
	// Dir is the working directory, removed after the test.
	Dir string
}

// NewCLI serves the provider and returns a CLI bound to it.
func NewCLI(t *testing.T) *CLI {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		var err error
		if bin, err = exec.LookPath("terraform"); err != nil {
			t.Fatal("no Terraform CLI: set TF_ACC_TERRAFORM_PATH or put terraform on the PATH")
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	reattach, closed := make(chan *plugin.ReattachConfig, 1), make(chan struct{})
	factory := func() tfprotov6.ProviderServer {
		s, err := ProviderFactories["bifrost"]()
		if err != nil {
			t.Errorf("provider: %v", err)
		}
		return s
	}
	served := make(chan error, 1)
	go func() {
		served <- tf6server.Serve(providerAddress, factory, tf6server.WithDebug(ctx, reattach, closed),
			tf6server.WithLoggingSink(t), tf6server.WithGoPluginLogger(hclog.NewNullLogger()))
	}()
	var cfg *plugin.ReattachConfig
	select {
	case cfg = <-reattach:
	case err := <-served:
		cancel()
		t.Fatalf("serving the provider: %v", err)
	}
	t.Cleanup(func() { cancel(); <-closed })
	attach, err := json.Marshal(map[string]any{providerAddress: map[string]any{
		"Protocol": string(cfg.Protocol), "ProtocolVersion": cfg.ProtocolVersion, "Pid": cfg.Pid, "Test": true,
		"Addr": map[string]string{"Network": cfg.Addr.Network(), "String": cfg.Addr.String()},
	}})
	if err != nil {
		t.Fatal(err)
	}
	c := &CLI{t: t, bin: bin, Dir: t.TempDir()}
	c.env = append(os.Environ(), "TF_REATTACH_PROVIDERS="+string(attach), "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"TF_CLI_CONFIG_FILE="+filepath.Join(c.Dir, ".terraformrc"))
	c.Write(".terraformrc", "")
	c.Write("versions.tf", "terraform {\n  required_providers {\n    bifrost = { source = \"maximhq/bifrost\" }\n  }\n}\n")
	return c
}

// providerAddress is the provider's registry address.
const providerAddress = "registry.terraform.io/maximhq/bifrost"

// Version is the version of the Terraform CLI.
func (c *CLI) Version() *version.Version {
	c.t.Helper()
	out, _ := c.run("version")
	m := regexp.MustCompile(`Terraform v(\S+)`).FindStringSubmatch(out)
	if m == nil {
		c.t.Fatalf("terraform version: %s", out)
	}
	v, err := version.NewVersion(m[1])
	if err != nil {
		c.t.Fatal(err)
	}
	return v
}

// SkipBelow skips the test when the CLI is older than oldest.
func (c *CLI) SkipBelow(oldest, why string) {
	c.t.Helper()
	if v := c.Version(); v.LessThan(version.Must(version.NewVersion(oldest))) {
		c.t.Skipf("needs Terraform ≥ %s (%s); this CLI is %s", oldest, why, v)
	}
}

// Write writes a file of the working directory.
func (c *CLI) Write(name, content string) {
	c.t.Helper()
	if err := os.WriteFile(filepath.Join(c.Dir, name), []byte(content), 0o600); err != nil {
		c.t.Fatal(err)
	}
}

// Read returns a file of the working directory.
func (c *CLI) Read(name string) string {
	c.t.Helper()
	b, err := os.ReadFile(filepath.Join(c.Dir, name))
	if err != nil {
		c.t.Fatal(err)
	}
	return string(b)
}

// Run runs terraform with args and fails the test unless it exits 0; it
// returns stdout and stderr together.
func (c *CLI) Run(args ...string) string {
	c.t.Helper()
	out, code := c.run(args...)
	if code != 0 {
		c.t.Fatalf("terraform %v exited %d:\n%s", args, code, out)
	}
	return out
}

// Exit runs terraform with args and returns its output and exit code.
func (c *CLI) Exit(args ...string) (string, int) {
	c.t.Helper()
	return c.run(args...)
}

func (c *CLI) run(args ...string) (string, int) {
	cmd := exec.Command(c.bin, append(args[:1:1], append([]string{"-no-color"}, args[1:]...)...)...)
	if args[0] == "version" {
		cmd = exec.Command(c.bin, args...)
	}
	cmd.Dir, cmd.Env = c.Dir, c.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return out.String(), exit.ExitCode()
	case err != nil:
		c.t.Fatalf("terraform %v: %v", args, err)
	}
	return out.String(), 0
}
