package bifrost_test

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

func TestPlural(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{{0, "0 keys"}, {1, "1 key"}, {2, "2 keys"}, {-1, "-1 keys"}} {
		if got := bifrost.Plural(tc.n, "key"); got != tc.want {
			t.Errorf("Plural(%d, key) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

// TestAPIErrorAttempts: the attempts of a request given up are counted in
// words that agree with the number.
func TestAPIErrorAttempts(t *testing.T) {
	for attempts, want := range map[int]string{
		0: "Bifrost answered HTTP 400 to POST /api/x: bad",
		1: "Bifrost answered HTTP 400 to POST /api/x: bad",
		2: "Bifrost answered HTTP 400 to POST /api/x: bad (after 2 attempts)",
	} {
		e := &bifrost.APIError{Method: http.MethodPost, Path: "/api/x", StatusCode: http.StatusBadRequest, Message: "bad", Attempts: attempts}
		if got := e.Error(); got != want {
			t.Errorf("%d attempts: %q, want %q", attempts, got, want)
		}
	}
}

// TestErrorKinds: the answers of Bifrost that the provider turns into hints
// are told from the others.
func TestErrorKinds(t *testing.T) {
	apiErr := func(status int, msg string) error {
		// Wrapped, as the client's retry error and callers wrap it.
		return fmt.Errorf("wrapped: %w", &bifrost.APIError{Method: http.MethodPost, Path: "/api/providers/p/keys", StatusCode: status, Message: msg})
	}
	for _, tc := range []struct {
		name             string
		err              error
		providerNotFound bool
		emptyValue       bool
		missingField     string
	}{
		{name: "provider not found", err: apiErr(404, "Provider not found: not found"), providerNotFound: true},
		{name: "key not found", err: apiErr(404, "Provider key not found: not found")},
		{name: "provider not found with another status", err: apiErr(400, "Provider not found: not found")},
		{name: "empty value", err: apiErr(400, "Key value must not be empty"), emptyValue: true},
		{name: "empty value as a 500", err: apiErr(500, "Key value must not be empty")},
		{name: "ollama url", err: apiErr(400, "ollama_key_config.url is required for Ollama keys"), missingField: "ollama_key_config.url"},
		{name: "sgl url", err: apiErr(400, "sgl_key_config.url is required for SGL keys"), missingField: "sgl_key_config.url"},
		{name: "other required", err: apiErr(400, "Invalid aliases: x: model_id is required for y")},
		{name: "not an API error", err: fmt.Errorf("Key value must not be empty")},
		{name: "nil", err: nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := bifrost.IsProviderNotFound(tc.err); got != tc.providerNotFound {
				t.Errorf("IsProviderNotFound = %v", got)
			}
			if got := bifrost.IsEmptyKeyValue(tc.err); got != tc.emptyValue {
				t.Errorf("IsEmptyKeyValue = %v", got)
			}
			if got := bifrost.MissingField(tc.err); got != tc.missingField {
				t.Errorf("MissingField = %q, want %q", got, tc.missingField)
			}
		})
	}
}

func TestMayHaveStored(t *testing.T) {
	status := func(code int) error {
		return fmt.Errorf("wrapped: %w", &bifrost.APIError{Method: http.MethodPost, Path: "/api/x", StatusCode: code, Message: "m"})
	}
	for err, want := range map[error]bool{
		errors.New("connection reset"): true, status(500): true, status(502): true, status(504): true,
		status(400): false, status(404): false, status(409): false,
	} {
		if got := bifrost.MayHaveStored(err); got != want {
			t.Errorf("MayHaveStored(%v) = %v, want %v", err, got, want)
		}
	}
}
