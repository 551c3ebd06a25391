package providerkey

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// TestKeyCountWords: the data source's "no key named" error counts the
// keys it listed in words that agree with the number (the import's is in
// TestImportState).
func TestKeyCountWords(t *testing.T) {
	srv, err := emulator.Start(emulator.Options{Providers: []string{"openai", "anthropic"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	c, err := bifrost.New(bifrost.Config{Endpoint: srv.URL()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.CreateKey(ctx, "openai", bifrost.Key{Name: "only", Value: bifrost.Literal("sk-only-0123456789abcdef"), Models: []string{"*"}, Weight: 1}); err != nil {
		t.Fatal(err)
	}
	d := &keyDataSource{client: c}
	for provider, want := range map[string]string{
		"openai":    `Provider "openai" has no key named "other" (1 key listed).`,
		"anthropic": `Provider "anthropic" has no key named "other" (0 keys listed).`,
	} {
		_, diags := d.find(ctx, provider, types.StringNull(), types.StringValue("other"))
		if diags.ErrorsCount() != 1 || diags.Errors()[0].Detail() != want {
			t.Errorf("%s: got %v, want the error %q", provider, diags, want)
		}
	}
}
