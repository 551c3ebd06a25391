package bifrost

import (
	"encoding/json"
	"strings"
)

// secretFieldNames are JSON fields whose string values are masked in logs
// wherever they appear; every string inside a *_key_config object is masked
// too, since Bifrost treats all of them as secrets. "value" covers a
// virtual key's value (sk-bf-…) too, which every governance response
// carrying a virtual key (create, get, list, update, rotate, and the
// customers' embedded keys) has in clear.
var secretFieldNames = map[string]bool{
	"value": true, "password": true, "token": true, "api_key": true, "setup_token": true,
	"client_secret": true, "secret_key": true, "session_token": true, "access_key": true,
	"auth_credentials": true,
	// An MCP client row embedded in a virtual key (mcp_configs[].mcp_client)
	// comes decrypted: its connection string and header values.
	"connection_string": true, "headers": true,
	// A plugin's config is free-form and Bifrost returns it in clear, with
	// whatever secrets the plugin takes under any name (maxim api_key, otel
	// headers, a custom plugin's own): every string in it is masked.
	"config": true,
}

// Redact replaces every occurrence of each secret in s by its mask.
func Redact(s string, secrets ...string) string {
	for _, secret := range secrets {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, Mask(secret))
		}
	}
	return s
}

// redactBody renders a JSON body for a log line with every secret masked.
func redactBody(body []byte, secrets []string) string {
	if len(body) == 0 {
		return ""
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return Redact(string(body), secrets...)
	}
	b, err := json.Marshal(redactValue(v, false))
	if err != nil {
		return "<unloggable body>"
	}
	return Redact(string(b), secrets...)
}

func redactValue(v any, secret bool) any {
	switch t := v.(type) {
	case map[string]any:
		for k, child := range t {
			t[k] = redactValue(child, secret || secretFieldNames[k] || strings.HasSuffix(k, "_key_config"))
		}
		return t
	case []any:
		for i, child := range t {
			t[i] = redactValue(child, secret)
		}
		return t
	case string:
		if secret && !IsReference(t) {
			return Mask(t)
		}
	}
	return v
}
