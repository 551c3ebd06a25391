package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

// pricingOverride is a row of /api/governance/pricing-overrides. patch is
// the pricing_patch string: the request's patch as PricingOptions re-encodes it.
type pricingOverride struct {
	id, name, scopeKind             string
	vkID, providerID, providerKeyID *string
	matchType, pattern, patch       string
	requestTypes                    []string
	created, updated                string
}

func (o *pricingOverride) wire() object {
	w := object{{"id", o.id}, {"name", o.name}, {"scope_kind", o.scopeKind}}
	for _, m := range []struct {
		k string
		v *string
	}{{"virtual_key_id", o.vkID}, {"provider_id", o.providerID}, {"provider_key_id", o.providerKeyID}} {
		if m.v != nil {
			w = append(w, kv{m.k, *m.v})
		}
	}
	return append(w, kv{"match_type", o.matchType}, kv{"pattern", o.pattern}, kv{"pricing_patch", o.patch},
		kv{"created_at", o.created}, kv{"updated_at", o.updated}, kv{"request_types", o.requestTypes})
}

// pricingPatch decodes a patch into PricingOptions and encodes it again:
// members matched like encoding/json does (case-insensitively), unknown ones
// dropped, nulls omitted, struct order. ok is false when the patch is not an
// object of numbers.
func pricingPatch(raw json.RawMessage) (string, bool) {
	if raw[0] != '{' {
		return "", false
	}
	members := fieldsAt(raw, 0)
	patch := object{}
	for _, name := range bifrost.PricingOptionFields {
		f, found := lookup(members, name)
		if !found || isNull(f.raw) {
			continue
		}
		v, err := strconv.ParseFloat(string(f.raw), 64)
		if err != nil {
			return "", false
		}
		patch = append(patch, kv{name, v})
	}
	return string(enc(patch)), true
}

// pricingBaseTypes are the request types an override may name; the stream
// variants are refused with their base type. websocket_responses and
// realtime are accepted (they price as responses).
var (
	pricingBaseTypes = []string{"text_completion", "chat_completion", "responses", "embedding", "rerank", "speech",
		"transcription", "image_generation", "image_variation", "image_edit", "video_generation", "video_remix", "ocr",
		"container_create", "websocket_responses", "realtime"}
	pricingStreamTypes = []string{"text_completion_stream", "chat_completion_stream", "responses_stream",
		"speech_stream", "transcription_stream", "image_generation_stream", "image_edit_stream"}
)

// overrideErr is PricingOverride.IsValid on the ids as sent (an empty string
// counts as present here, and is stored as null).
func overrideErr(o *pricingOverride) string {
	vk, p, pk := o.vkID != nil, o.providerID != nil, o.providerKeyID != nil
	switch o.scopeKind {
	case "global":
		if vk || p || pk {
			return "global scope_kind must not include scope identifiers"
		}
	case "provider":
		switch {
		case !p:
			return "provider_id is required for provider scope_kind"
		case vk || pk:
			return "provider scope_kind only supports provider_id"
		}
	case "provider_key":
		switch {
		case !pk:
			return "provider_key_id is required for provider_key scope_kind"
		case vk || p:
			return "provider_key scope_kind only supports provider_key_id"
		}
	case "virtual_key":
		switch {
		case !vk:
			return "virtual_key_id is required for virtual_key scope_kind"
		case p || pk:
			return "virtual_key scope_kind only supports virtual_key_id"
		}
	case "virtual_key_provider":
		switch {
		case !vk || !p:
			return "virtual_key_id and provider_id are required for virtual_key_provider scope_kind"
		case pk:
			return "virtual_key_provider scope_kind does not support provider_key_id"
		}
	case "virtual_key_provider_key":
		if !vk || !p || !pk {
			return "virtual_key_id, provider_id, and provider_key_id are required for virtual_key_provider_key scope_kind"
		}
	default:
		return fmt.Sprintf("unsupported scope_kind %q", o.scopeKind)
	}
	pattern := strings.TrimSpace(o.pattern)
	switch {
	case pattern == "":
		return "pattern is required"
	case o.matchType == "exact":
		if strings.Contains(pattern, "*") {
			return "exact match pattern must not contain wildcards"
		}
	case o.matchType == "wildcard":
		if !strings.HasSuffix(pattern, "*") {
			return "wildcard pattern must end with *"
		}
		if strings.Count(pattern, "*") != 1 {
			return "wildcard pattern must contain exactly one trailing *"
		}
	default:
		return fmt.Sprintf("unsupported match_type %q", o.matchType)
	}
	if len(o.requestTypes) == 0 {
		return "request_types is required and must contain at least one value"
	}
	for _, rt := range o.requestTypes {
		if base, ok := strings.CutSuffix(rt, "_stream"); ok && slices.Contains(pricingStreamTypes, rt) {
			return fmt.Sprintf("unsupported request_type %q: use the base type (e.g. %q covers both streaming and non-streaming)", rt, base)
		}
		if !slices.Contains(pricingBaseTypes, rt) {
			return fmt.Sprintf("unsupported request_type %q", rt)
		}
	}
	return ""
}

// trimmedID is normalizeOptionalString: trimmed, and "" stored as null.
func trimmedID(p *string) *string {
	if p == nil {
		return nil
	}
	if v := strings.TrimSpace(*p); v != "" {
		return &v
	}
	return nil
}

// overrideRequest is the create and update body. The ids are raw so that an
// update can tell an explicit null (clear) from an absent member (keep).
type overrideRequest struct {
	Name          *string         `json:"name"`
	ScopeKind     *string         `json:"scope_kind"`
	VirtualKeyID  json.RawMessage `json:"virtual_key_id"`
	ProviderID    json.RawMessage `json:"provider_id"`
	ProviderKeyID json.RawMessage `json:"provider_key_id"`
	MatchType     *string         `json:"match_type"`
	Pattern       *string         `json:"pattern"`
	RequestTypes  []string        `json:"request_types"`
	Patch         json.RawMessage `json:"patch"`
}

// overrideBody is a decoded create or update body: ids[i] is the value of
// the i-th id member and sent[i] whether it was present (null included);
// patch is the re-encoded patch, nil when absent or null.
type overrideBody struct {
	*overrideRequest
	ids   [3]*string
	sent  [3]bool
	patch *string
}

// decodeOverride parses a body; false is the handler's "Invalid JSON".
func decodeOverride(body []byte) (overrideBody, bool) {
	b := overrideBody{overrideRequest: &overrideRequest{}}
	if json.Unmarshal(body, b.overrideRequest) != nil {
		return b, false
	}
	for i, raw := range []json.RawMessage{b.VirtualKeyID, b.ProviderID, b.ProviderKeyID} {
		if raw == nil {
			continue
		}
		b.sent[i] = true
		if json.Unmarshal(raw, &b.ids[i]) != nil {
			return b, false
		}
	}
	if b.Patch != nil && !isNull(b.Patch) {
		patch, ok := pricingPatch(b.Patch)
		if !ok {
			return b, false
		}
		b.patch = &patch
	}
	return b, true
}

// listPricingOverrides filters by ?scope_kind, ?virtual_key_id, ?provider_id
// and ?provider_key_id, paged with ?limit/?offset/?search; creation order is
// a guess.
func (s *Server) listPricingOverrides(c *call) reply {
	page, rp, ok := s.policyPage(c)
	if !ok {
		return rp
	}
	q := c.r.URL.Query()
	filter := func(name string, v *string) bool {
		want := strings.TrimSpace(q.Get(name))
		return want == "" || (v != nil && *v == want)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	items := []any{}
	for _, o := range s.policy.overrides {
		if filter("scope_kind", &o.scopeKind) && filter("virtual_key_id", o.vkID) && filter("provider_id", o.providerID) &&
			filter("provider_key_id", o.providerKeyID) && page.matches(o.name) {
			items = append(items, o.wire())
		}
	}
	return policyJSON(http.StatusOK, page.envelope("pricing_overrides", items))
}

// createPricingOverride answers 201. Names are not unique and ids are not
// checked for existence.
func (s *Server) createPricingOverride(c *call) reply {
	req, ok := decodeOverride(c.body)
	if !ok {
		return s.policyErr(http.StatusBadRequest, "Invalid JSON")
	}
	o := &pricingOverride{id: uuid.NewString(), vkID: req.ids[0], providerID: req.ids[1], providerKeyID: req.ids[2],
		requestTypes: req.RequestTypes, patch: "{}"}
	setIf(&o.name, req.Name)
	setIf(&o.scopeKind, req.ScopeKind)
	setIf(&o.matchType, req.MatchType)
	setIf(&o.pattern, req.Pattern)
	if o.name = strings.TrimSpace(o.name); o.name == "" {
		return s.policyErr(http.StatusBadRequest, "name is required")
	}
	if msg := overrideErr(o); msg != "" {
		return s.policyErr(http.StatusBadRequest, msg)
	}
	setIf(&o.patch, req.patch)
	o.normalise()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lockedWrite() {
		return s.policyErr(http.StatusInternalServerError, "Failed to create pricing override")
	}
	o.created = policyStamp()
	o.updated = o.created
	s.policy.overrides = append(s.policy.overrides, o)
	return stored(policyJSON(http.StatusCreated, goMap(kv{"message", "Pricing override created successfully"}, kv{"pricing_override", o.wire()})))
}

// normalise stores the ids and pattern the way the handler does.
func (o *pricingOverride) normalise() {
	o.vkID, o.providerID, o.providerKeyID = trimmedID(o.vkID), trimmedID(o.providerID), trimmedID(o.providerKeyID)
	o.pattern = strings.TrimSpace(o.pattern)
}

// updatePricingOverride merges: omitted members keep their value, the ids
// accept null to clear, a new scope_kind drops the ids not re-sent, and a
// patch replaces the whole patch.
func (s *Server) updatePricingOverride(c *call, id string) reply {
	req, ok := decodeOverride(c.body)
	if !ok {
		return s.policyErr(http.StatusBadRequest, "Invalid JSON")
	}
	s.mu.Lock()
	i := slices.IndexFunc(s.policy.overrides, func(o *pricingOverride) bool { return o.id == id })
	var o pricingOverride
	if i >= 0 {
		o = *s.policy.overrides[i]
	}
	s.mu.Unlock()
	if i < 0 {
		return s.policyErr(http.StatusNotFound, "Pricing override not found")
	}
	if req.ScopeKind != nil {
		o.scopeKind = *req.ScopeKind
		o.vkID, o.providerID, o.providerKeyID = nil, nil, nil
	}
	for j, dst := range []**string{&o.vkID, &o.providerID, &o.providerKeyID} {
		if req.sent[j] {
			*dst = req.ids[j]
		}
	}
	setIf(&o.matchType, req.MatchType)
	setIf(&o.pattern, req.Pattern)
	if req.RequestTypes != nil {
		o.requestTypes = req.RequestTypes
	}
	if msg := overrideErr(&o); msg != "" {
		return s.policyErr(http.StatusBadRequest, msg)
	}
	if req.Name != nil {
		if o.name = strings.TrimSpace(*req.Name); o.name == "" {
			return s.policyErr(http.StatusBadRequest, "name is required")
		}
	}
	setIf(&o.patch, req.patch)
	o.normalise()
	s.mu.Lock()
	defer s.mu.Unlock()
	i = slices.IndexFunc(s.policy.overrides, func(o *pricingOverride) bool { return o.id == id })
	if i < 0 {
		return s.policyErr(http.StatusNotFound, "Pricing override not found")
	}
	if s.lockedWrite() {
		return s.policyErr(http.StatusInternalServerError, "Failed to update pricing override")
	}
	o.updated = policyStamp()
	*s.policy.overrides[i] = o
	return stored(policyJSON(http.StatusOK, goMap(kv{"message", "Pricing override updated successfully"}, kv{"pricing_override", o.wire()})))
}

func (s *Server) deletePricingOverride(_ *call, id string) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.policy.overrides, func(o *pricingOverride) bool { return o.id == id })
	if i < 0 {
		return s.policyErr(http.StatusNotFound, "Pricing override not found")
	}
	if s.lockedWrite() {
		return s.policyErr(http.StatusInternalServerError, "Failed to delete pricing override")
	}
	s.policy.overrides = slices.Delete(s.policy.overrides, i, i+1)
	return stored(policyJSON(http.StatusOK, goMap(kv{"message", "Pricing override deleted successfully"})))
}
