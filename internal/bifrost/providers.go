package bifrost

import (
	"context"
	"net/http"
	"net/url"
)

// Provider is a Bifrost provider (ProviderResponse; the add and update
// requests carry the same fields, with the name as "provider" on add).
type Provider struct {
	Name                     string                    `json:"name,omitempty"`
	NetworkConfig            *NetworkConfig            `json:"network_config,omitempty"`
	ConcurrencyAndBufferSize *ConcurrencyAndBufferSize `json:"concurrency_and_buffer_size,omitempty"`
	ProxyConfig              *ProxyConfig              `json:"proxy_config"`
	SendBackRawRequest       bool                      `json:"send_back_raw_request"`
	SendBackRawResponse      bool                      `json:"send_back_raw_response"`
	StoreRawRequestResponse  bool                      `json:"store_raw_request_response"`
	CustomProviderConfig     *CustomProviderConfig     `json:"custom_provider_config,omitempty"`
	OpenAIConfig             *OpenAIConfig             `json:"openai_config,omitempty"`

	// Read-only.
	ProviderStatus string `json:"provider_status,omitempty"`
	Status         string `json:"status,omitempty"`
	Description    string `json:"description,omitempty"`
	ConfigHash     string `json:"config_hash,omitempty"`
}

// NetworkConfig is a provider's network_config.
type NetworkConfig struct {
	BaseURL                        string            `json:"base_url,omitempty"`
	ExtraHeaders                   map[string]string `json:"extra_headers,omitempty"`
	DefaultRequestTimeoutInSeconds int64             `json:"default_request_timeout_in_seconds"`
	MaxRetries                     int64             `json:"max_retries"`
	RetryBackoffInitial            int64             `json:"retry_backoff_initial"`
	RetryBackoffMax                int64             `json:"retry_backoff_max"`
	StreamIdleTimeoutInSeconds     int64             `json:"stream_idle_timeout_in_seconds,omitempty"`
	MaxConnsPerHost                int64             `json:"max_conns_per_host,omitempty"`
	InsecureSkipVerify             bool              `json:"insecure_skip_verify,omitempty"`
	CACertPEM                      string            `json:"ca_cert_pem,omitempty"`
}

// ConcurrencyAndBufferSize is a provider's concurrency_and_buffer_size.
type ConcurrencyAndBufferSize struct {
	Concurrency int64 `json:"concurrency"`
	BufferSize  int64 `json:"buffer_size"`
}

// ProxyConfig is a provider's proxy_config.
type ProxyConfig struct {
	Type      string `json:"type"`
	URL       string `json:"url,omitempty"`
	Username  string `json:"username,omitempty"`
	Password  string `json:"password,omitempty"`
	CACertPEM string `json:"ca_cert_pem,omitempty"`
}

// CustomProviderConfig makes a provider a custom one built on a standard type.
type CustomProviderConfig struct {
	IsKeyLess            bool              `json:"is_key_less"`
	BaseProviderType     string            `json:"base_provider_type"`
	AllowedRequests      map[string]bool   `json:"allowed_requests,omitempty"`
	RequestPathOverrides map[string]string `json:"request_path_overrides,omitempty"`
}

// OpenAIConfig is a provider's openai_config.
type OpenAIConfig struct {
	DisableStore bool `json:"disable_store,omitempty"`
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

// CreateProvider adds a provider (409 when it exists).
func (c *Client) CreateProvider(ctx context.Context, p Provider) (*Provider, error) {
	name := p.Name
	p.Name = ""
	req := struct {
		Name string `json:"provider"`
		Provider
	}{Name: name, Provider: p}
	var out Provider
	if err := c.do(ctx, http.MethodPost, "/api/providers", req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateProvider replaces a provider's configuration; the server creates the
// provider when it does not exist.
func (c *Client) UpdateProvider(ctx context.Context, p Provider) (*Provider, error) {
	name := p.Name
	p.Name = ""
	var out Provider
	if err := c.do(ctx, http.MethodPut, providerPath(name), p, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteProvider deletes a provider and all of its keys. The server answers
// 200 whether or not the provider existed.
func (c *Client) DeleteProvider(ctx context.Context, name string) error {
	return c.do(ctx, http.MethodDelete, providerPath(name), nil, nil)
}
