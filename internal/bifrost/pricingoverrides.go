package bifrost

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// Pricing overrides: custom prices for models matched by name, in a scope
// (shared/bifrost-api/governance.md §2.7). Wire facts the callers rely on:
//   - Create answers 201. Names are NOT unique and nothing else is either:
//     a create is never repeated after an answer that may hide a stored
//     write (a 5xx, no answer): the caller must look (ListPricingOverrides)
//     and must not guess.
//   - There is no GET by id: an unrouted GET falls through to the dashboard
//     and answers 200 text/html. GetPricingOverride reads the list and
//     finds the id there.
//   - The request's patch comes back, re-encoded by the server, as a JSON
//     string under another key (pricing_patch): use PricingOverride.Patch.
//     Members the server does not know are dropped.
//   - Update (PUT) merges: a member left out keeps its value; the three
//     scope ids accept an explicit null (ClearID) to clear; a scope_kind
//     sent clears the ids that are not sent with it; a patch sent replaces
//     the whole patch.
//   - The server trims the name, the ids and the pattern, and stores an
//     empty id as null. Ids are not checked for existence.

// PricingOverride is a pricing override as the server returns it.
type PricingOverride struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	ScopeKind string `json:"scope_kind"`
	// The scope ids: only those the scope kind uses are present.
	VirtualKeyID  string `json:"virtual_key_id,omitempty"`
	ProviderID    string `json:"provider_id,omitempty"`
	ProviderKeyID string `json:"provider_key_id,omitempty"`
	MatchType     string `json:"match_type"`
	Pattern       string `json:"pattern"`
	// PricingPatch is the patch as a JSON-encoded object (see Patch).
	PricingPatch string   `json:"pricing_patch"`
	RequestTypes []string `json:"request_types"`
	CreatedAt    string   `json:"created_at,omitempty"`
	UpdatedAt    string   `json:"updated_at,omitempty"`
}

// PricingPatch is a patch of prices (PricingOptions): member name → price
// in dollars, every member optional.
type PricingPatch map[string]float64

// Patch decodes PricingPatch ("" or "null" is an empty patch).
func (o *PricingOverride) Patch() (PricingPatch, error) {
	out := PricingPatch{}
	if o.PricingPatch == "" || o.PricingPatch == "null" {
		return out, nil
	}
	raw := map[string]*float64{}
	if err := json.Unmarshal([]byte(o.PricingPatch), &raw); err != nil {
		return nil, fmt.Errorf("pricing override %s: pricing_patch %q is not an object of prices: %w", o.ID, o.PricingPatch, err)
	}
	for k, v := range raw {
		if v != nil {
			out[k] = *v
		}
	}
	return out, nil
}

// Pricing override scope kinds, match types and request types (v1.5.1 and
// v2 OSS; the enterprise user scope is left out).
var (
	PricingScopeKinds = []string{"global", "provider", "provider_key", "virtual_key", "virtual_key_provider", "virtual_key_provider_key"}
	PricingMatchTypes = []string{"exact", "wildcard"}
	// PricingRequestTypes are the base request types an override may name
	// (a base type covers its streaming variant; websocket_responses and
	// realtime price as responses).
	PricingRequestTypes = []string{"text_completion", "chat_completion", "responses", "embedding", "rerank", "speech",
		"transcription", "image_generation", "image_variation", "image_edit", "video_generation", "video_remix", "ocr",
		"container_create", "websocket_responses", "realtime"}
)

// PricingScopeIDs says which scope ids a scope kind needs (each is then
// required; the others must be absent): virtual key, provider, provider
// key. ok is false for an unknown kind.
func PricingScopeIDs(scopeKind string) (vk, provider, providerKey, ok bool) {
	switch scopeKind {
	case "global":
		return false, false, false, true
	case "provider":
		return false, true, false, true
	case "provider_key":
		return false, false, true, true
	case "virtual_key":
		return true, false, false, true
	case "virtual_key_provider":
		return true, true, false, true
	case "virtual_key_provider_key":
		return true, true, true, true
	}
	return false, false, false, false
}

// PricingOverrideCreate is the body of a create: the scope ids must be
// exactly those the scope kind needs (PricingScopeIDs), request types at
// least one base type.
type PricingOverrideCreate struct {
	Name          string       `json:"name"`
	ScopeKind     string       `json:"scope_kind"`
	VirtualKeyID  string       `json:"virtual_key_id,omitempty"`
	ProviderID    string       `json:"provider_id,omitempty"`
	ProviderKeyID string       `json:"provider_key_id,omitempty"`
	MatchType     string       `json:"match_type"`
	Pattern       string       `json:"pattern"`
	RequestTypes  []string     `json:"request_types"`
	Patch         PricingPatch `json:"patch"`
}

// PricingOverrideUpdate is the body of an update: a nil member keeps the
// stored value. The ids are set with SetID and cleared with ClearID (sent
// as null); sending ScopeKind clears every id not sent with it. Patch
// replaces the whole patch (an empty one clears it).
type PricingOverrideUpdate struct {
	Name          *string       `json:"name,omitempty"`
	ScopeKind     *string       `json:"scope_kind,omitempty"`
	VirtualKeyID  **string      `json:"virtual_key_id,omitempty"`
	ProviderID    **string      `json:"provider_id,omitempty"`
	ProviderKeyID **string      `json:"provider_key_id,omitempty"`
	MatchType     *string       `json:"match_type,omitempty"`
	Pattern       *string       `json:"pattern,omitempty"`
	RequestTypes  []string      `json:"request_types,omitempty"`
	Patch         *PricingPatch `json:"patch,omitempty"`
}

// SetID is an update's scope id that sets it to id.
func SetID(id string) **string {
	p := &id
	return &p
}

// ClearID is an update's scope id that clears it (sent as null).
func ClearID() **string {
	var p *string
	return &p
}

// IDUpdate is SetID(id) for a non-empty id, else ClearID().
func IDUpdate(id string) **string {
	if id == "" {
		return ClearID()
	}
	return SetID(id)
}

type pricingOverrideEnvelope struct {
	Message         string           `json:"message"`
	PricingOverride *PricingOverride `json:"pricing_override"`
}

type pricingOverrideList struct {
	PricingOverrides []PricingOverride `json:"pricing_overrides"`
	Count            int               `json:"count"`
	TotalCount       int               `json:"total_count"`
}

const (
	pricingOverridesCollection = "pricing-overrides"
	msgPricingOverrideNotFound = "Pricing override not found"
	msgPricingUpdateFailed     = "Failed to update pricing override"
	msgPricingDeleteFailed     = "Failed to delete pricing override"
)

var pricingOverridesPath = governancePath + "/" + pricingOverridesCollection

// ListPricingOverrides returns every pricing override (unfiltered,
// unpaginated), in the server's order.
func (c *Client) ListPricingOverrides(ctx context.Context) ([]PricingOverride, error) {
	var out pricingOverrideList
	err := c.do(ctx, http.MethodGet, pricingOverridesPath, nil, &out)
	return out.PricingOverrides, err
}

// GetPricingOverride finds the pricing override id in the list (the server
// has no GET by id). An id the list lacks is a not-found error (IsNotFound),
// as for the entities that have one.
func (c *Client) GetPricingOverride(ctx context.Context, id string) (*PricingOverride, error) {
	all, err := c.ListPricingOverrides(ctx)
	if err != nil {
		return nil, err
	}
	return FindPricingOverride(all, id)
}

// FindPricingOverride is the override id of a list, or a not-found error.
func FindPricingOverride(all []PricingOverride, id string) (*PricingOverride, error) {
	for i := range all {
		if all[i].ID == id {
			return &all[i], nil
		}
	}
	return nil, &APIError{
		Method: http.MethodGet, Path: pricingOverridesPath, StatusCode: http.StatusNotFound,
		Message: fmt.Sprintf("%s (id %q is not in the list of %s)", msgPricingOverrideNotFound, id, Plural(len(all), "pricing override")),
	}
}

// CreatePricingOverride creates an override (201). It is never repeated
// after an answer that may hide a stored write (a 5xx, no answer): nothing
// of an override is unique, so a second create would store a second one.
// Lock answers (nothing stored) and 429/503 are retried as for every
// request.
func (c *Client) CreatePricingOverride(ctx context.Context, in PricingOverrideCreate) (*PricingOverride, error) {
	if in.Patch == nil {
		in.Patch = PricingPatch{}
	}
	return c.pricingOverrideCall(ctx, http.MethodPost, pricingOverridesPath, in)
}

// UpdatePricingOverride applies in to the override id (see
// PricingOverrideUpdate) and returns it as stored.
func (c *Client) UpdatePricingOverride(ctx context.Context, id string, in PricingOverrideUpdate) (*PricingOverride, error) {
	ctx = withHiddenCause(ctx, msgPricingUpdateFailed)
	return c.pricingOverrideCall(ctx, http.MethodPut, governanceItemPath(pricingOverridesCollection, id), in)
}

// DeletePricingOverride deletes an override; a missing one is a not-found
// error.
func (c *Client) DeletePricingOverride(ctx context.Context, id string) error {
	ctx = withHiddenCause(ctx, msgPricingDeleteFailed)
	return c.do(ctx, http.MethodDelete, governanceItemPath(pricingOverridesCollection, id), nil, nil)
}

func (c *Client) pricingOverrideCall(ctx context.Context, method, path string, in any) (*PricingOverride, error) {
	var out pricingOverrideEnvelope
	if err := c.do(ctx, method, path, in, &out); err != nil {
		return nil, err
	}
	if out.PricingOverride == nil {
		return nil, envelopeMissing(method, path, "pricing_override")
	}
	return out.PricingOverride, nil
}

// PricingOptionFields are the members of Bifrost's PricingOptions, the
// pricing patch of an override, for the resource and the emulator alike:
// every one an optional price in dollars (per token, character, image,
// pixel, second, page, query or session as its name says), in the server's
// struct order. Taken from the newest stored modelcatalog source (guess:
// v1.5.1's list was not at hand).
var PricingOptionFields = []string{
	"input_cost_per_token", "output_cost_per_token", "input_cost_per_token_batches", "output_cost_per_token_batches",
	"input_cost_per_token_priority", "output_cost_per_token_priority", "input_cost_per_token_flex",
	"output_cost_per_token_flex", "input_cost_per_character",
	"input_cost_per_token_above_128k_tokens", "input_cost_per_image_above_128k_tokens",
	"input_cost_per_video_per_second_above_128k_tokens", "input_cost_per_audio_per_second_above_128k_tokens",
	"output_cost_per_token_above_128k_tokens",
	"input_cost_per_token_above_200k_tokens", "input_cost_per_token_above_200k_tokens_priority",
	"output_cost_per_token_above_200k_tokens", "output_cost_per_token_above_200k_tokens_priority",
	"input_cost_per_token_above_272k_tokens", "input_cost_per_token_above_272k_tokens_priority",
	"output_cost_per_token_above_272k_tokens", "output_cost_per_token_above_272k_tokens_priority",
	"cache_creation_input_token_cost", "cache_read_input_token_cost",
	"cache_creation_input_token_cost_above_200k_tokens", "cache_read_input_token_cost_above_200k_tokens",
	"cache_read_input_token_cost_above_200k_tokens_priority", "cache_creation_input_token_cost_above_1hr",
	"cache_creation_input_token_cost_above_1hr_above_200k_tokens", "cache_creation_input_audio_token_cost",
	"cache_read_input_token_cost_priority", "cache_read_input_token_cost_flex", "cache_read_input_image_token_cost",
	"cache_read_input_token_cost_above_272k_tokens", "cache_read_input_token_cost_above_272k_tokens_priority",
	"input_cost_per_image", "input_cost_per_pixel", "output_cost_per_image", "output_cost_per_pixel",
	"output_cost_per_image_premium_image", "output_cost_per_image_above_512_and_512_pixels",
	"output_cost_per_image_above_512_and_512_pixels_and_premium_image",
	"output_cost_per_image_above_1024_and_1024_pixels",
	"output_cost_per_image_above_1024_and_1024_pixels_and_premium_image",
	"output_cost_per_image_above_2048_and_2048_pixels", "output_cost_per_image_above_4096_and_4096_pixels",
	"output_cost_per_image_low_quality", "output_cost_per_image_medium_quality",
	"output_cost_per_image_high_quality", "output_cost_per_image_auto_quality",
	"input_cost_per_image_token", "output_cost_per_image_token",
	"input_cost_per_audio_token", "input_cost_per_audio_per_second", "input_cost_per_second",
	"input_cost_per_video_per_second", "output_cost_per_audio_token", "output_cost_per_video_per_second",
	"output_cost_per_second",
	"search_context_cost_per_query", "code_interpreter_cost_per_session",
	"ocr_cost_per_page", "annotation_cost_per_page",
}
