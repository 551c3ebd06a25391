package bifrost

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// APIError is an answer of the server other than 2xx, with Bifrost's own
// message (error.message of the error body) when it sent one.
type APIError struct {
	Method     string
	Path       string
	StatusCode int
	Message    string
	// Attempts is how many times the request was sent.
	Attempts int
}

func (e *APIError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.StatusCode)
	}
	s := fmt.Sprintf("Bifrost answered HTTP %d to %s %s: %s", e.StatusCode, e.Method, e.Path, msg)
	if e.Attempts > 1 {
		s += " (after " + Plural(e.Attempts, "attempt") + ")"
	}
	switch e.StatusCode {
	case http.StatusUnauthorized:
		s += ". Check the provider's credentials: username/password (BIFROST_USERNAME/BIFROST_PASSWORD), token (BIFROST_TOKEN), " +
			"or, for Bifrost ≥ 2.2.6 without dashboard auth, setup_token (BIFROST_SETUP_TOKEN)"
	case http.StatusForbidden:
		s += ". The credentials were refused (for Bifrost ≥ 2.2.6 without dashboard auth: a wrong setup_token)"
	}
	return s
}

// IsNotFound reports whether err is a 404 from the server.
func IsNotFound(err error) bool {
	return statusOf(err) == http.StatusNotFound
}

// MayHaveStored reports whether a failed write may nevertheless have been
// stored: the server did not answer, or answered a 5xx.
func MayHaveStored(err error) bool {
	s := statusOf(err)
	return s == 0 || s >= http.StatusInternalServerError
}

// IsConflict reports whether err is a 409 from the server.
func IsConflict(err error) bool {
	return statusOf(err) == http.StatusConflict
}

// IsUnauthorized reports whether err is a 401 or 403 from the server.
func IsUnauthorized(err error) bool {
	s := statusOf(err)
	return s == http.StatusUnauthorized || s == http.StatusForbidden
}

// IsDuplicateName reports whether err says that a key name is taken: a 500
// "a record with this name already exists" from v1.5, a 409 from v2.
func IsDuplicateName(err error) bool {
	var e *APIError
	if !errors.As(err, &e) {
		return false
	}
	return strings.Contains(e.Message, "a record with this name already exists") ||
		strings.Contains(e.Message, "names must be unique")
}

// IsProviderNotFound reports whether err is Bifrost's 404 for a provider it
// does not have ("Provider not found: not found"), not for a missing key
// ("Provider key not found: not found").
func IsProviderNotFound(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.StatusCode == http.StatusNotFound && strings.HasPrefix(e.Message, "Provider not found")
}

// IsEmptyKeyValue reports whether err is Bifrost's 400 "Key value must not be
// empty": the key's value, once Bifrost resolved it, is empty (for an
// env.NAME reference: NAME is not set in Bifrost's environment).
func IsEmptyKeyValue(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.StatusCode == http.StatusBadRequest && strings.Contains(e.Message, "Key value must not be empty")
}

// MissingField is the field a 400 "<field> is required for …" names, e.g.
// "ollama_key_config.url" for "ollama_key_config.url is required for Ollama
// keys"; "" for any other error.
func MissingField(err error) string {
	var e *APIError
	if !errors.As(err, &e) || e.StatusCode != http.StatusBadRequest {
		return ""
	}
	field, _, found := strings.Cut(e.Message, " is required for ")
	if !found || strings.ContainsAny(field, " :") {
		return ""
	}
	return field
}

// IsDuplicateID reports whether err says that a key id is taken.
func IsDuplicateID(err error) bool {
	var e *APIError
	return errors.As(err, &e) && strings.Contains(e.Message, "a record with this key id already exists")
}

func statusOf(err error) int {
	var e *APIError
	if errors.As(err, &e) {
		return e.StatusCode
	}
	return 0
}

// errorMessage extracts error.message from a Bifrost error body, or returns
// the body itself (trimmed) when it is not one.
func errorMessage(body []byte) string {
	var eb struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &eb) == nil && eb.Error.Message != "" {
		return eb.Error.Message
	}
	s := strings.TrimSpace(string(body))
	if len(s) > 512 {
		s = s[:512] + "…"
	}
	return s
}

// Plural renders a count with its noun: "1 attempt", "3 attempts", "0 keys".
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
