package providerkey

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

// This file turns Bifrost's answers to a write that failed (or succeeded
// with a gap) into diagnostics that say what to do: on the attribute at
// fault, naming the provider, the variable or the key, and keeping
// Bifrost's own message and status. None of them can come at plan time:
// whether a provider exists would take a request per key on every plan, and
// Bifrost's process environment cannot be read at all, only observed in
// its answer to a write.

// secretField is a secret-wrapper field of a key, with the attribute it is
// configured at and its name in Bifrost's messages.
type secretField struct {
	path path.Path
	wire string // e.g. "value", "ollama_key_config.url"
	v    *bifrost.SecretVar
}

// envName is the variable an env.NAME reference names, "" for anything
// else (a literal, a vault reference).
func (f secretField) envName() string {
	name, ok := strings.CutPrefix(f.v.Ref, bifrost.EnvPrefix)
	if !ok {
		return ""
	}
	return name
}

// secretFields lists the key's value and the secret fields of its
// provider-specific block, each at its attribute path; valueAttr is the
// attribute the value is configured in ("value" or "value_wo").
// alias_configs are left out: Bifrost's answers do not say how it resolved
// them.
func secretFields(k *bifrost.Key, valueAttr string) []secretField {
	var out []secretField
	k.EachSecretField(func(block, name string, v *bifrost.SecretVar) {
		if block == "" {
			out = append(out, secretField{path: path.Root(valueAttr), wire: name, v: v})
			return
		}
		out = append(out, secretField{path: path.Root(block).AtName(name), wire: block + "." + name, v: v})
	})
	return out
}

// valueAttribute is the attribute the key's value is configured in: value_wo
// when it is set, value otherwise.
func valueAttribute(writeOnly bool) string {
	if writeOnly {
		return "value_wo"
	}
	return "value"
}

// unresolvedEnvField is the env.NAME field that a refused write found empty:
// Bifrost's 400 "Key value must not be empty" for a value that is a
// reference, or "<block>.url is required for … keys" for a url that is
// one. ok is false when err is not such an answer about a reference.
func unresolvedEnvField(err error, key *bifrost.Key, valueAttr string) (secretField, bool) {
	wire := bifrost.MissingField(err)
	if bifrost.IsEmptyKeyValue(err) {
		wire = "value"
	}
	if wire == "" {
		return secretField{}, false
	}
	for _, f := range secretFields(key, valueAttr) {
		if f.wire == wire && f.envName() != "" {
			return f, true
		}
	}
	return secretField{}, false
}

const envSummary = "Environment variable not set where Bifrost runs"

// whereResolved says where Bifrost looks an env.NAME reference up, and
// whether Terraform's own environment has the variable (which is the usual
// mistake). It never shows a value.
func whereResolved(f secretField, endpoint string) string {
	name := f.envName()
	s := fmt.Sprintf("%s is %s: Bifrost resolves an env.NAME reference itself, in the environment of its own process "+
		"(the Bifrost server at %s), not in the environment Terraform runs in. %s is not set there, or is empty.",
		f.path, f.v.Ref, endpoint, name)
	if _, set := os.LookupEnv(name); set {
		s += fmt.Sprintf(" (%s is set in Terraform's environment, but Bifrost does not see that one.)", name)
	}
	return s
}

// addUnresolvedEnvError reports a write Bifrost refused because an env.NAME
// reference resolved to nothing in its environment.
func addUnresolvedEnvError(diags *diag.Diagnostics, f secretField, endpoint string, err error) {
	instead := fmt.Sprintf("set %s to the value itself instead of the reference", f.path)
	if f.wire == "value" {
		instead = "give the key itself instead of the reference: in value_wo (write-only, with value_wo_version; " +
			"Terraform ≥ 1.11), or in value, for instance from a Terraform variable"
	}
	diags.AddAttributeError(f.path, envSummary,
		fmt.Sprintf("%s So Bifrost found no value and refused the key.\n\n"+
			"To fix it, either:\n"+
			"  - set %s in the environment Bifrost runs with (its container, service or shell) and restart Bifrost, then apply again; or\n"+
			"  - %s.\n\n"+
			"Bifrost said: %s", whereResolved(f, endpoint), f.envName(), instead, err))
}

// warnUnresolvedEnv warns about the env.NAME fields of a key Bifrost saved
// that it resolved to nothing: it answers an env-backed field with the
// masked resolved value, "" exactly when the variable is not set (or is
// empty) in its environment. Only providers whose keys may go without a
// value (azure, bedrock, ...) get that far; the others are refused (see
// addUnresolvedEnvError).
func warnUnresolvedEnv(diags *diag.Diagnostics, got *bifrost.Key, valueAttr, endpoint string) {
	for _, f := range secretFields(got, valueAttr) {
		if f.envName() == "" || !f.v.FromEnv || f.v.Value != "" {
			continue
		}
		diags.AddAttributeWarning(f.path, envSummary,
			fmt.Sprintf("%s Bifrost saved the key, but uses an empty %s until %s is set in Bifrost's environment and Bifrost is restarted.",
				whereResolved(f, endpoint), f.wire, f.envName()))
	}
}

// addProviderMissingError reports a key write answered "Provider not found":
// the provider must exist in Bifrost before its keys. It lists the
// providers Bifrost has (one request, on this error path only) to tell a
// misspelt name from a provider created in the same apply without a
// dependency.
func (r *keyResource) addProviderMissingError(ctx context.Context, diags *diag.Diagnostics, provider string, err error) {
	label := identifier(provider, "provider")
	reference := fmt.Sprintf("  provider_name = bifrost_provider.%s.name\n\n"+
		"or keep provider_name as it is and add depends_on = [bifrost_provider.%s] to the key.", label, label)
	const mustExist = "A provider, built-in ones such as openai included, must be configured in Bifrost before its keys."
	var detail string
	names, lerr := r.providerNames(ctx)
	if lerr == nil && slices.Contains(names, provider) {
		detail = fmt.Sprintf("Bifrost had no provider named %q when the key was sent, but has one now: it was most likely created in the same apply, "+
			"by a bifrost_provider resource the key does not depend on, so Terraform sent both at once.\n\n"+
			"Make the key depend on that resource (here labelled %q), so that Terraform creates the provider first, then apply again: "+
			"reference it from the key,\n\n%s", provider, label, reference)
	} else {
		known := ""
		if lerr == nil {
			known = " " + knownProviders(provider, names)
		}
		detail = fmt.Sprintf("Bifrost has no provider named %q, so it cannot hold this key. %s%s\n\n"+
			"Create the provider with a bifrost_provider resource and reference it from the key, so that Terraform creates the provider first:\n\n"+
			"  resource \"bifrost_provider\" %q {\n    name = %q\n  }\n\n%s "+
			"If the provider is managed outside this configuration, check provider_name against Bifrost's providers.",
			provider, mustExist, known, label, provider, reference)
	}
	diags.AddAttributeError(path.Root("provider_name"), fmt.Sprintf("Provider %q not found in Bifrost", provider),
		detail+"\n\nBifrost said: "+err.Error())
}

// providerNames lists the names of Bifrost's providers.
func (r *keyResource) providerNames(ctx context.Context) ([]string, error) {
	ps, err := r.client.ListProviders(ctx)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	slices.Sort(names)
	return names, nil
}

// knownProviders names the providers Bifrost has, and one that differs from
// want only in case.
func knownProviders(want string, names []string) string {
	for _, n := range names {
		if strings.EqualFold(n, want) {
			return fmt.Sprintf("It has %q: provider names are case-sensitive.", n)
		}
	}
	if len(names) == 0 {
		return "It has no provider yet."
	}
	const shown = 20
	list := quoteAll(names[:min(len(names), shown)])
	if len(names) > shown {
		list += fmt.Sprintf(" and %d more", len(names)-shown)
	}
	return fmt.Sprintf("It has %s: %s.", bifrost.Plural(len(names), "provider"), list)
}

// adoptHint tells how to bring an existing key (importID, of provider
// owner, "" when unknown) under Terraform: into this resource when it is
// being created (into, the provider_name it is configured with), else ("")
// into a resource of its own. The framework does not tell a provider the
// address of the resource it acts for (no request of the plugin protocol
// carries it), so the address is a suggestion built from the key name, and
// the user is pointed at the real one, which Terraform prints with the
// error ("with bifrost_provider_key.…").
func adoptHint(keyName, importID, owner, into string) string {
	addr := resourceType + "." + identifier(keyName, "key")
	block := fmt.Sprintf("  import {\n    to = %s\n    id = %q\n  }\n\n"+
		"or with the command:\n\n"+
		"  terraform import %s %s\n\n", addr, importID, addr, importID)
	if into == "" {
		return "To manage the existing key with Terraform as well, import it into a bifrost_provider_key resource of its own, " +
			"with an import block (Terraform ≥ 1.5):\n\n" + block +
			fmt.Sprintf("where %s stands for the address of that resource.", addr)
	}
	s := "Or bring the existing key under Terraform with an import block (Terraform ≥ 1.5):\n\n" + block +
		fmt.Sprintf("%s is a suggestion: use this resource's own address, which Terraform shows with this error (\"with %s.…\"); "+
			"a provider is not told it.", addr, resourceType)
	if owner != "" && owner != into {
		s += fmt.Sprintf(" The existing key belongs to provider %q: set provider_name = %q as well, or the import is followed by a replacement.", owner, owner)
	}
	return s
}

// resourceType is the resource type, for the addresses of hints.
const resourceType = "bifrost_provider_key"

// identifier turns s into a Terraform identifier (letters, digits, '_',
// '-', not starting with a digit or '-'), for a resource label in a hint;
// prefix starts it when s cannot, and is the whole label when s is empty.
func identifier(s, prefix string) string {
	var b strings.Builder
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_', c == '-':
			b.WriteRune(c)
		default:
			b.WriteByte('_')
		}
	}
	id := b.String()
	switch {
	case id == "":
		return prefix
	case id[0] >= '0' && id[0] <= '9', id[0] == '-':
		return prefix + "_" + id
	}
	return id
}
