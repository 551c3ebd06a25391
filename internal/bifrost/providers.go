package bifrost

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
)

// Provider is a Bifrost provider as GET answers it (ProviderResponse). The
// add and update requests carry the fields the client owns (see
// providerRequest); the read-only ones are never sent.
type Provider struct {
	Name                     string                    `json:"name"`
	NetworkConfig            *NetworkConfig            `json:"network_config"`
	ConcurrencyAndBufferSize *ConcurrencyAndBufferSize `json:"concurrency_and_buffer_size"`
	ProxyConfig              *ProxyConfig              `json:"proxy_config"`
	SendBackRawRequest       bool                      `json:"send_back_raw_request"`
	SendBackRawResponse      bool                      `json:"send_back_raw_response"`
	StoreRawRequestResponse  bool                      `json:"store_raw_request_response"`
	CustomProviderConfig     *CustomProviderConfig     `json:"custom_provider_config"`
	OpenAIConfig             *OpenAIConfig             `json:"openai_config"`

	// Read-only, written by the server.
	ProviderStatus string `json:"provider_status,omitempty"`
	Status         string `json:"status,omitempty"`
	Description    string `json:"description,omitempty"`
	ConfigHash     string `json:"config_hash,omitempty"`
}

// providerRequest is the body of POST /api/providers (with Name) and of PUT
// /api/providers/{name} (without). Nil network and concurrency blocks are
// left out, so that a bare create gets the server's defaults; the optional
// blocks are sent as null when unset, since a v2 server leaves an absent
// block unchanged on PUT and clears it only on an explicit null.
type providerRequest struct {
	Name                     string                    `json:"provider,omitempty"`
	NetworkConfig            *NetworkConfig            `json:"network_config,omitempty"`
	ConcurrencyAndBufferSize *ConcurrencyAndBufferSize `json:"concurrency_and_buffer_size,omitempty"`
	ProxyConfig              *ProxyConfig              `json:"proxy_config"`
	SendBackRawRequest       bool                      `json:"send_back_raw_request"`
	SendBackRawResponse      bool                      `json:"send_back_raw_response"`
	StoreRawRequestResponse  bool                      `json:"store_raw_request_response"`
	CustomProviderConfig     *CustomProviderConfig     `json:"custom_provider_config"`
	OpenAIConfig             *OpenAIConfig             `json:"openai_config"`
}

func (p Provider) request(withName bool) providerRequest {
	r := providerRequest{
		NetworkConfig:            p.NetworkConfig,
		ConcurrencyAndBufferSize: p.ConcurrencyAndBufferSize,
		ProxyConfig:              p.ProxyConfig,
		SendBackRawRequest:       p.SendBackRawRequest,
		SendBackRawResponse:      p.SendBackRawResponse,
		StoreRawRequestResponse:  p.StoreRawRequestResponse,
		CustomProviderConfig:     p.CustomProviderConfig,
		OpenAIConfig:             p.OpenAIConfig,
	}
	if withName {
		r.Name = p.Name
	}
	return r
}

// secrets returns the literal secrets of the provider (not references), for
// masking in logs and error messages.
func (p Provider) secrets() []string {
	if pc := p.ProxyConfig; pc != nil && pc.Password != nil && pc.Password.Ref == "" && pc.Password.Value != "" {
		return []string{pc.Password.Value}
	}
	return nil
}

// NetworkConfig is a provider's network_config, in its JSON layout.
// Backoffs are milliseconds. The server omits a zero stream idle timeout and
// connection limit (meaning: its defaults). Fields this type does not know
// (those of a newer server, such as enforce_http2 or allow_private_network)
// are kept in Extra and sent back, because a supplied network_config
// replaces the stored one whole.
type NetworkConfig struct {
	BaseURL                        string            `json:"base_url,omitempty"`
	ExtraHeaders                   map[string]string `json:"extra_headers,omitempty"`
	DefaultRequestTimeoutInSeconds int64             `json:"default_request_timeout_in_seconds"`
	MaxRetries                     int64             `json:"max_retries"`
	RetryBackoffInitial            int64             `json:"retry_backoff_initial"`
	RetryBackoffMax                int64             `json:"retry_backoff_max"`
	StreamIdleTimeoutInSeconds     int64             `json:"stream_idle_timeout_in_seconds,omitempty"`
	// KeepAliveTimeoutInSeconds is a v2 field (nil: not sent).
	KeepAliveTimeoutInSeconds *int64     `json:"keep_alive_timeout_in_seconds,omitempty"`
	MaxConnsPerHost           int64      `json:"max_conns_per_host,omitempty"`
	InsecureSkipVerify        bool       `json:"insecure_skip_verify,omitempty"`
	CACertPEM                 *SecretVar `json:"ca_cert_pem,omitempty"`

	// Extra holds the members of network_config this type does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// networkJSON is NetworkConfig without its methods.
type networkJSON NetworkConfig

// knownNetworkFields are the JSON names NetworkConfig models.
var knownNetworkFields = jsonNames[NetworkConfig]()

// MarshalJSON writes the modelled fields and the unmodelled ones of Extra.
func (n NetworkConfig) MarshalJSON() ([]byte, error) {
	return marshalWithExtra(networkJSON(n), n.Extra, knownNetworkFields)
}

// UnmarshalJSON reads network_config, keeping unknown members in Extra.
func (n *NetworkConfig) UnmarshalJSON(b []byte) error {
	var w networkJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*n = NetworkConfig(w)
	var err error
	n.Extra, err = unknownMembers(b, knownNetworkFields)
	return err
}

// ConcurrencyAndBufferSize is a provider's concurrency_and_buffer_size.
type ConcurrencyAndBufferSize struct {
	Concurrency int64 `json:"concurrency"`
	BufferSize  int64 `json:"buffer_size"`
}

// ProxyConfig is a provider's proxy_config. Its strings are secret wrappers
// on newer servers (literal or env.NAME); the password and CA certificate
// come back as "<REDACTED>" there.
type ProxyConfig struct {
	Type      string     `json:"type"`
	URL       *SecretVar `json:"url,omitempty"`
	Username  *SecretVar `json:"username,omitempty"`
	Password  *SecretVar `json:"password,omitempty"`
	CACertPEM *SecretVar `json:"ca_cert_pem,omitempty"`
}

// CustomProviderConfig makes a provider a custom one built on a standard
// type. A nil AllowedRequests allows every request type; a non-nil one only
// those set to true (the server answers every known type, false included).
type CustomProviderConfig struct {
	IsKeyLess            bool              `json:"is_key_less"`
	BaseProviderType     string            `json:"base_provider_type"`
	AllowedRequests      map[string]bool   `json:"allowed_requests"`
	RequestPathOverrides map[string]string `json:"request_path_overrides,omitempty"`
}

// OpenAIConfig is a provider's openai_config.
type OpenAIConfig struct {
	DisableStore bool `json:"disable_store"`
}

type providerList struct {
	Providers []Provider `json:"providers"`
	Total     int        `json:"total"`
}

func providerPath(name string) string { return "/api/providers/" + url.PathEscape(name) }

// ListProviders returns every configured provider, sorted by name.
func (c *Client) ListProviders(ctx context.Context) ([]Provider, error) {
	var out providerList
	err := c.do(ctx, http.MethodGet, "/api/providers", nil, &out)
	return out.Providers, err
}

// GetProvider returns one provider.
func (c *Client) GetProvider(ctx context.Context, name string) (*Provider, error) {
	var out Provider
	if err := c.do(ctx, http.MethodGet, providerPath(name), nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// CreateProvider adds a provider (409 when it exists). Blocks left nil get
// the server's defaults.
func (c *Client) CreateProvider(ctx context.Context, p Provider) (*Provider, error) {
	var out Provider
	ctx = withRequestSecrets(ctx, p.secrets())
	if err := c.do(ctx, http.MethodPost, "/api/providers", p.request(true), &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateProvider replaces a provider's configuration; the server creates the
// provider when it does not exist. ConcurrencyAndBufferSize is required
// (the server answers 400 when it is absent or zero).
func (c *Client) UpdateProvider(ctx context.Context, p Provider) (*Provider, error) {
	var out Provider
	ctx = withRequestSecrets(ctx, p.secrets())
	if err := c.do(ctx, http.MethodPut, providerPath(p.Name), p.request(false), &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteProvider deletes a provider and all of its keys. The server answers
// 200 whether or not the provider existed.
func (c *Client) DeleteProvider(ctx context.Context, name string) error {
	defer c.lists.forget(name)
	return c.do(ctx, http.MethodDelete, providerPath(name), nil, nil)
}
