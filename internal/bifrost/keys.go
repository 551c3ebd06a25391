package bifrost

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

// Key is a provider key as Bifrost's management API reads and writes it,
// in the JSON layout of both requests and responses: each field is written
// down once, here. Fields the server manages (ConfigHash, Status,
// Description) are decoded from responses but never sent. Fields this type
// does not know, e.g. those of a newer server, are kept in Extra and sent
// back unchanged, because PUT replaces the whole key.
type Key struct {
	ID                string    `json:"id,omitempty"`
	Name              string    `json:"name"`
	Value             SecretVar `json:"value"`
	Models            []string  `json:"models"`
	BlacklistedModels []string  `json:"blacklisted_models"`
	Weight            float64   `json:"weight"`
	// Aliases and AliasConfigs (v2 rich aliases, objects) share one map on
	// the wire, "aliases": see MarshalJSON and UnmarshalJSON.
	Aliases        map[string]string      `json:"-"`
	AliasConfigs   map[string]AliasConfig `json:"-"`
	Enabled        *bool                  `json:"enabled,omitempty"`
	UseForBatchAPI bool                   `json:"use_for_batch_api"`
	// UseAnthropicEndpoints is a v2 field (nil: not sent).
	UseAnthropicEndpoints *bool `json:"use_anthropic_endpoints,omitempty"`

	AzureKeyConfig     *AzureKeyConfig     `json:"azure_key_config,omitempty"`
	VertexKeyConfig    *VertexKeyConfig    `json:"vertex_key_config,omitempty"`
	BedrockKeyConfig   *BedrockKeyConfig   `json:"bedrock_key_config,omitempty"`
	VLLMKeyConfig      *VLLMKeyConfig      `json:"vllm_key_config,omitempty"`
	OllamaKeyConfig    *URLKeyConfig       `json:"ollama_key_config,omitempty"`
	SGLKeyConfig       *URLKeyConfig       `json:"sgl_key_config,omitempty"`
	ReplicateKeyConfig *ReplicateKeyConfig `json:"replicate_key_config,omitempty"`
	// BedrockMantleKeyConfig is a v2 block.
	BedrockMantleKeyConfig *BedrockMantleKeyConfig `json:"bedrock_mantle_key_config,omitempty"`

	// Read-only, written by the server.
	ConfigHash  string `json:"config_hash,omitempty"`
	Status      string `json:"status,omitempty"`
	Description string `json:"description,omitempty"`

	// Extra holds the fields of the key that this type does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// keyJSON is Key without its methods, so that Key's MarshalJSON and
// UnmarshalJSON can use the default encoding of its fields.
type keyJSON Key

// keyWithAliases is the wire form: Key's fields and the aliases map.
type keyWithAliases struct {
	keyJSON
	Aliases map[string]json.RawMessage `json:"aliases,omitempty"`
}

// knownKeyFields are the JSON names Key models.
var knownKeyFields = jsonNames[Key]("aliases")

// AzureKeyConfig is azure_key_config.
type AzureKeyConfig struct {
	Endpoint     SecretVar  `json:"endpoint"`
	APIVersion   *SecretVar `json:"api_version,omitempty"`
	ClientID     *SecretVar `json:"client_id,omitempty"`
	ClientSecret *SecretVar `json:"client_secret,omitempty"`
	TenantID     *SecretVar `json:"tenant_id,omitempty"`
	Scopes       []string   `json:"scopes,omitempty"`
}

// VertexKeyConfig is vertex_key_config.
type VertexKeyConfig struct {
	ProjectID       SecretVar `json:"project_id"`
	ProjectNumber   SecretVar `json:"project_number"`
	Region          SecretVar `json:"region"`
	AuthCredentials SecretVar `json:"auth_credentials"`
	// ForceSingleRegion is a v2 field.
	ForceSingleRegion bool `json:"force_single_region,omitempty"`
}

// BedrockKeyConfig is bedrock_key_config.
type BedrockKeyConfig struct {
	AccessKey    SecretVar  `json:"access_key"`
	SecretKey    SecretVar  `json:"secret_key"`
	SessionToken *SecretVar `json:"session_token,omitempty"`
	Region       *SecretVar `json:"region,omitempty"`
	ARN          *SecretVar `json:"arn,omitempty"`
	RoleARN      *SecretVar `json:"role_arn,omitempty"`
	ExternalID   *SecretVar `json:"external_id,omitempty"`
	SessionName  *SecretVar `json:"session_name,omitempty"`
	// ProjectID is a v2 field.
	ProjectID     *SecretVar     `json:"project_id,omitempty"`
	BatchS3Config *BatchS3Config `json:"batch_s3_config,omitempty"`
}

// BedrockMantleKeyConfig is bedrock_mantle_key_config (v2).
type BedrockMantleKeyConfig struct {
	AccessKey    SecretVar  `json:"access_key"`
	SecretKey    SecretVar  `json:"secret_key"`
	SessionToken *SecretVar `json:"session_token,omitempty"`
	Region       *SecretVar `json:"region,omitempty"`
	RoleARN      *SecretVar `json:"role_arn,omitempty"`
	ExternalID   *SecretVar `json:"external_id,omitempty"`
	SessionName  *SecretVar `json:"session_name,omitempty"`
	ProjectID    *SecretVar `json:"project_id,omitempty"`
}

// BatchS3Config lists the S3 buckets Bedrock batch jobs may use.
type BatchS3Config struct {
	Buckets []S3Bucket `json:"buckets"`
}

// S3Bucket is one bucket of batch_s3_config.
type S3Bucket struct {
	BucketName string `json:"bucket_name"`
	Prefix     string `json:"prefix,omitempty"`
	IsDefault  bool   `json:"is_default,omitempty"`
}

// VLLMKeyConfig is vllm_key_config.
type VLLMKeyConfig struct {
	URL       SecretVar `json:"url"`
	ModelName string    `json:"model_name"`
}

// URLKeyConfig is ollama_key_config and sgl_key_config.
type URLKeyConfig struct {
	URL SecretVar `json:"url"`
}

// ReplicateKeyConfig is replicate_key_config.
type ReplicateKeyConfig struct {
	UseDeploymentsEndpoint bool `json:"use_deployments_endpoint"`
}

// AliasConfig is a v2 rich alias: the target model and per-alias overrides.
type AliasConfig struct {
	ModelID                string     `json:"model_id"`
	ModelName              string     `json:"model_name,omitempty"`
	ModelFamily            string     `json:"model_family,omitempty"`
	Description            string     `json:"description,omitempty"`
	APIVersion             string     `json:"api_version,omitempty"`
	AnthropicVersion       string     `json:"anthropic_version,omitempty"`
	Region                 *SecretVar `json:"region,omitempty"`
	Endpoint               *SecretVar `json:"endpoint,omitempty"`
	ProjectID              *SecretVar `json:"project_id,omitempty"`
	ProjectNumber          *SecretVar `json:"project_number,omitempty"`
	InferenceProfileARN    *SecretVar `json:"inference_profile_arn,omitempty"`
	ForceSingleRegion      *bool      `json:"force_single_region,omitempty"`
	UseDeploymentsEndpoint *bool      `json:"use_deployments_endpoint,omitempty"`
	UseAnthropicEndpoints  *bool      `json:"use_anthropic_endpoints,omitempty"`
}

// encodeAliases merges the plain and the rich aliases into the wire map.
func encodeAliases(plain map[string]string, rich map[string]AliasConfig) map[string]json.RawMessage {
	if len(plain)+len(rich) == 0 {
		return nil
	}
	out := make(map[string]json.RawMessage, len(plain)+len(rich))
	for name, target := range plain {
		out[name], _ = json.Marshal(target)
	}
	for name, cfg := range rich {
		out[name], _ = json.Marshal(cfg)
	}
	return out
}

// decodeAliases splits the wire map: a string is a plain alias, an object
// (v2) a rich one.
func decodeAliases(raw map[string]json.RawMessage) (map[string]string, map[string]AliasConfig, error) {
	var plain map[string]string
	var rich map[string]AliasConfig
	for name, v := range raw {
		var target string
		if json.Unmarshal(v, &target) == nil {
			if plain == nil {
				plain = map[string]string{}
			}
			plain[name] = target
			continue
		}
		var cfg AliasConfig
		if err := json.Unmarshal(v, &cfg); err != nil {
			return nil, nil, fmt.Errorf("alias %q: %w", name, err)
		}
		if rich == nil {
			rich = map[string]AliasConfig{}
		}
		rich[name] = cfg
	}
	return plain, rich, nil
}

// MarshalJSON writes the request form: every field the client owns, the
// unmodelled fields from Extra, and none of the server-managed ones.
func (k Key) MarshalJSON() ([]byte, error) {
	w := keyWithAliases{keyJSON: keyJSON(k), Aliases: encodeAliases(k.Aliases, k.AliasConfigs)}
	if w.Models == nil {
		w.Models = []string{}
	}
	if w.BlacklistedModels == nil {
		w.BlacklistedModels = []string{}
	}
	w.ConfigHash, w.Status, w.Description = "", "", ""
	return marshalWithExtra(w, k.Extra, knownKeyFields)
}

// UnmarshalJSON reads a key in any server version's shape.
func (k *Key) UnmarshalJSON(b []byte) error {
	var w keyWithAliases
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*k = Key(w.keyJSON)
	var err error
	if k.Aliases, k.AliasConfigs, err = decodeAliases(w.Aliases); err != nil {
		return err
	}
	k.Extra, err = unknownMembers(b, knownKeyFields)
	return err
}

// EachSecretField calls fn for the key's value (block "", name "value") and
// every secret-wrapper field of its provider-specific block that is set,
// with the block's and the field's JSON names. Rich aliases are not
// included.
func (k *Key) EachSecretField(fn func(block, name string, v *SecretVar)) {
	fn("", "value", &k.Value)
	type field struct {
		name string
		v    *SecretVar
	}
	each := func(block string, fields ...field) {
		for _, f := range fields {
			if f.v != nil {
				fn(block, f.name, f.v)
			}
		}
	}
	if c := k.AzureKeyConfig; c != nil {
		each("azure_key_config",
			field{"endpoint", &c.Endpoint}, field{"api_version", c.APIVersion}, field{"client_id", c.ClientID},
			field{"client_secret", c.ClientSecret}, field{"tenant_id", c.TenantID})
	}
	if c := k.VertexKeyConfig; c != nil {
		each("vertex_key_config",
			field{"project_id", &c.ProjectID}, field{"project_number", &c.ProjectNumber}, field{"region", &c.Region},
			field{"auth_credentials", &c.AuthCredentials})
	}
	if c := k.BedrockKeyConfig; c != nil {
		each("bedrock_key_config",
			field{"access_key", &c.AccessKey}, field{"secret_key", &c.SecretKey}, field{"session_token", c.SessionToken},
			field{"region", c.Region}, field{"arn", c.ARN}, field{"role_arn", c.RoleARN},
			field{"external_id", c.ExternalID}, field{"session_name", c.SessionName}, field{"project_id", c.ProjectID})
	}
	if c := k.BedrockMantleKeyConfig; c != nil {
		each("bedrock_mantle_key_config",
			field{"access_key", &c.AccessKey}, field{"secret_key", &c.SecretKey}, field{"session_token", c.SessionToken},
			field{"region", c.Region}, field{"role_arn", c.RoleARN}, field{"external_id", c.ExternalID},
			field{"session_name", c.SessionName}, field{"project_id", c.ProjectID})
	}
	if c := k.VLLMKeyConfig; c != nil {
		each("vllm_key_config", field{"url", &c.URL})
	}
	if c := k.OllamaKeyConfig; c != nil {
		each("ollama_key_config", field{"url", &c.URL})
	}
	if c := k.SGLKeyConfig; c != nil {
		each("sgl_key_config", field{"url", &c.URL})
	}
}

// Secrets returns the literal secrets the key carries (not references), for
// masking in logs.
func (k Key) Secrets() []string {
	var out []string
	add := func(v *SecretVar) {
		if v != nil && v.Ref == "" && v.Value != "" {
			out = append(out, v.Value)
		}
	}
	k.EachSecretField(func(_, _ string, v *SecretVar) { add(v) })
	for _, a := range k.AliasConfigs {
		for _, v := range []*SecretVar{a.Region, a.Endpoint, a.ProjectID, a.ProjectNumber, a.InferenceProfileARN} {
			add(v)
		}
	}
	return out
}

type keyList struct {
	Keys  []Key `json:"keys"`
	Total int   `json:"total"`
}

func keysPath(provider string) string {
	return "/api/providers/" + url.PathEscape(provider) + "/keys"
}

func keyPath(provider, id string) string {
	return keysPath(provider) + "/" + url.PathEscape(id)
}

// ListKeys returns every key of a provider, in creation order.
func (c *Client) ListKeys(ctx context.Context, provider string) ([]Key, error) {
	var out keyList
	err := c.do(ctx, http.MethodGet, keysPath(provider), nil, &out)
	return out.Keys, err
}

// GetKey returns one key of a provider.
func (c *Client) GetKey(ctx context.Context, provider, id string) (*Key, error) {
	var out Key
	if err := c.do(ctx, http.MethodGet, keyPath(provider, id), nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// CreateKey creates a key. When key.ID is set the create is made safe to
// retry: a retried POST that finds its own id already stored is resolved by
// CreateKeyIdempotent.
func (c *Client) CreateKey(ctx context.Context, provider string, key Key) (*Key, error) {
	var out Key
	ctx = withRequestSecrets(ctx, key.Secrets())
	if key.ID != "" {
		ctx = withRetrySafe(ctx)
	}
	defer c.lists.forget(provider)
	if err := c.do(ctx, http.MethodPost, keysPath(provider), key, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateKey replaces a key (PUT is a full replacement on the server).
func (c *Client) UpdateKey(ctx context.Context, provider string, key Key) (*Key, error) {
	var out Key
	ctx = withRequestSecrets(ctx, key.Secrets())
	id := key.ID
	key.ID = ""
	defer c.lists.forget(provider)
	if err := c.do(ctx, http.MethodPut, keyPath(provider, id), key, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteKey deletes a key and returns it as the server last stored it.
func (c *Client) DeleteKey(ctx context.Context, provider, id string) (*Key, error) {
	var out Key
	defer c.lists.forget(provider)
	if err := c.do(ctx, http.MethodDelete, keyPath(provider, id), nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// KeyRow is one entry of GET /api/keys: every key of every provider, in the
// store's table shape (not the Key shape).
type KeyRow struct {
	Provider string `json:"provider"`
	KeyID    string `json:"key_id"`
	Name     string `json:"name"`
}

// ListAllKeys lists the keys of all providers.
func (c *Client) ListAllKeys(ctx context.Context) ([]KeyRow, error) {
	var out []KeyRow
	err := c.do(ctx, http.MethodGet, "/api/keys", nil, &out)
	return out, err
}
