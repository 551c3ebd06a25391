package emulator

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strings"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

// This file holds the provider sub-configurations whose wire form is the
// server's Go struct rather than what the client sent (proxy_config,
// custom_provider_config.allowed_requests, openai_config), the custom
// provider rules of PUT, and the v2 base URL check.

// Request types of schemas.AllowedRequests in struct order. Every field is a
// bool without omitempty, so a present allowed_requests answers all of them,
// false included; names a version does not know are dropped on decode.
var (
	// v1.5.x (EnvVar era) struct. The OpenAPI spec of the v1.5.1 commit lists
	// only 25 of these; the spec is documentation and lags the struct, which
	// is what the server encodes.
	allowedRequestsV1 = []string{
		"list_models", "text_completion", "text_completion_stream", "chat_completion", "chat_completion_stream",
		"responses", "responses_stream", "count_tokens", "embedding", "rerank", "ocr",
		"speech", "speech_stream", "transcription", "transcription_stream",
		"image_generation", "image_generation_stream", "image_edit", "image_edit_stream", "image_variation",
		"video_generation", "video_retrieve", "video_download", "video_delete", "video_list", "video_remix",
		"batch_create", "batch_list", "batch_retrieve", "batch_cancel", "batch_delete", "batch_results",
		"file_upload", "file_list", "file_retrieve", "file_delete", "file_content",
		"container_create", "container_list", "container_retrieve", "container_delete",
		"container_file_create", "container_file_list", "container_file_retrieve", "container_file_content", "container_file_delete",
		"passthrough", "passthrough_stream", "websocket_responses", "realtime",
	}
	// v2.x (SecretVar era) struct: Responses lifecycle verbs, compaction and
	// cached content added.
	allowedRequestsV2 = []string{
		"list_models", "text_completion", "text_completion_stream", "chat_completion", "chat_completion_stream",
		"responses", "responses_stream", "responses_retrieve", "responses_delete", "responses_cancel", "responses_input_items",
		"count_tokens", "compaction", "embedding", "rerank", "ocr",
		"speech", "speech_stream", "transcription", "transcription_stream",
		"image_generation", "image_generation_stream", "image_edit", "image_edit_stream", "image_variation",
		"video_generation", "video_retrieve", "video_download", "video_delete", "video_list", "video_remix",
		"batch_create", "batch_list", "batch_retrieve", "batch_cancel", "batch_delete", "batch_results",
		"file_upload", "file_list", "file_retrieve", "file_delete", "file_content",
		"container_create", "container_list", "container_retrieve", "container_delete",
		"container_file_create", "container_file_list", "container_file_retrieve", "container_file_content", "container_file_delete",
		"passthrough", "passthrough_stream", "websocket_responses", "realtime",
		"cached_content_create", "cached_content_list", "cached_content_retrieve", "cached_content_update", "cached_content_delete",
	}
)

// supportedBaseProviders is schemas.SupportedBaseProviders: the standard
// types a custom provider may be built on (the same in v1.5 and v2).
var supportedBaseProviders = []string{"anthropic", "bedrock", "cohere", "gemini", "openai", "huggingface", "replicate"}

func isSupportedBase(name string) bool { return slices.Contains(supportedBaseProviders, name) }

func (s *Server) allowedRequestTypes() []string {
	if s.v2 {
		return allowedRequestsV2
	}
	return allowedRequestsV1
}

// parseAllowed decodes allowed_requests into the types this version knows;
// a null member leaves its type false, as for a plain bool field.
func (s *Server) parseAllowed(src []byte, f field) (map[string]bool, error) {
	members, ok, err := asObject(src, f, "schemas.AllowedRequests")
	if err != nil || !ok {
		return nil, err
	}
	out := map[string]bool{}
	for _, name := range s.allowedRequestTypes() {
		m, ok := lookup(members, name)
		if !ok {
			continue
		}
		b, err := asBool(m)
		if err != nil {
			return nil, err
		}
		if b != nil && *b {
			out[name] = true
		}
	}
	return out, nil
}

func (s *Server) renderAllowed(allowed map[string]bool) object {
	o := make(object, 0, len(s.allowedRequestTypes()))
	for _, name := range s.allowedRequestTypes() {
		o = append(o, kv{name, allowed[name]})
	}
	return o
}

// parseOpenAI decodes openai_config into its one field, disable_store.
func parseOpenAI(src []byte, f field) (*bool, error) {
	members, ok, err := asObject(src, f, "schemas.OpenAIConfig")
	if err != nil || !ok {
		return nil, err
	}
	disable := false
	if m, ok := lookup(members, "disable_store"); ok {
		b, err := asBool(m)
		if err != nil {
			return nil, err
		}
		disable = b != nil && *b
	}
	return &disable, nil
}

// proxyConf is a stored schemas.ProxyConfig: the type, and secret wrappers
// (EnvVar in v1.5, SecretVar in v2) that are nil when absent or null.
type proxyConf struct {
	typ                         string
	url, username, password, ca *secret
}

func (pc *proxyConf) fields() []struct {
	name string
	ptr  **secret
} {
	return []struct {
		name string
		ptr  **secret
	}{{"url", &pc.url}, {"username", &pc.username}, {"password", &pc.password}, {"ca_cert_pem", &pc.ca}}
}

func (s *Server) parseProxy(src []byte, f field) (*proxyConf, error) {
	members, ok, err := asObject(src, f, "schemas.ProxyConfig")
	if err != nil || !ok {
		return nil, err
	}
	pc := &proxyConf{}
	if m, ok := lookup(members, "type"); ok {
		if pc.typ, err = asString(m); err != nil {
			return nil, err
		}
	}
	for _, fl := range pc.fields() {
		if m, ok := lookup(members, fl.name); ok && !isNull(m.raw) {
			sec := s.parseSecret(m.raw)
			*fl.ptr = &sec
		}
	}
	return pc, nil
}

// isSet is EnvVar/SecretVar IsSet: a reference counts when it names
// something, a literal when it is not empty.
func (sec *secret) isSet() bool {
	if sec == nil {
		return false
	}
	if sec.fromEnv || sec.backed() {
		return sec.ref != ""
	}
	return sec.val != ""
}

// resolved is the secret as the server holds it after decoding: references
// carry their resolved value.
func (sec secret) resolved(env map[string]string) secret {
	sec.val = sec.resolve(env)
	return sec
}

// redactProxy is ProxyConfig.Redacted(). v1.5 (EnvVar): url and username as
// stored, password and ca_cert_pem "<REDACTED>" when literal and returned as
// stored (resolved, in clear) when env-backed. v2 (SecretVar): url and
// username masked like key values, password and ca_cert_pem FullyRedacted
// ("<REDACTED>", reference kept); unset fields are null.
func (s *Server) redactProxy(pc *proxyConf) *proxyConf {
	out := &proxyConf{typ: pc.typ}
	redact := func(sec *secret, whole bool) *secret {
		if sec == nil || (!sec.isSet() && (s.v2 || whole)) {
			return nil
		}
		r := sec.resolved(s.env)
		switch {
		case s.v2 && whole:
			if r.val != "" {
				r.val = "<REDACTED>"
			}
		case s.v2:
			r.val = bifrost.Mask(r.val)
		case whole && !sec.fromEnv:
			r = secret{val: "<REDACTED>"}
		}
		return &r
	}
	out.url = redact(pc.url, false)
	out.username = redact(pc.username, false)
	out.password = redact(pc.password, true)
	out.ca = redact(pc.ca, true)
	return out
}

func (s *Server) renderProxy(pc *proxyConf) any {
	if pc == nil {
		return nil
	}
	r := s.redactProxy(pc)
	o := object{{"type", r.typ}}
	for _, fl := range r.fields() {
		var v any
		if sec := *fl.ptr; sec != nil {
			v = sec.wire(s.v2)
		}
		o = append(o, kv{fl.name, v})
	}
	return o
}

// mergeProxyEcho is PUT's restoration of echoed redactions: a field that is
// redacted-looking (or a reference) and equal to what the server currently
// answers for it stands for the stored value.
func (s *Server) mergeProxyEcho(in, old *proxyConf) {
	if in == nil || old == nil {
		return
	}
	shown := s.redactProxy(old)
	inFields, oldFields, shownFields := in.fields(), old.fields(), shown.fields()
	for i, fl := range inFields {
		got, cur := *fl.ptr, *shownFields[i].ptr
		if got == nil || cur == nil {
			continue
		}
		looksRedacted := got.fromEnv || got.backed() || bifrost.LooksRedacted(got.val)
		if looksRedacted && got.resolved(s.env) == *cur {
			*fl.ptr = *oldFields[i].ptr
		}
	}
}

// StoredProxy is a provider's proxy_config as the server stores it:
// unredacted, references kept as references.
type StoredProxy struct {
	Type, URL, Username, Password, CACertPEM string
}

// Proxy returns the stored proxy_config of provider, or nil when the
// provider does not exist or has none.
func (s *Server) Proxy(provider string) *StoredProxy {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.providers[provider]
	if p == nil || p.proxy == nil {
		return nil
	}
	str := func(sec *secret) string {
		if sec == nil {
			return ""
		}
		return sec.stored()
	}
	pc := p.proxy
	return &StoredProxy{Type: pc.typ, URL: str(pc.url), Username: str(pc.username), Password: str(pc.password), CACertPEM: str(pc.ca)}
}

// CACert returns the network_config.ca_cert_pem that provider stores
// (unredacted; the reference for an env- or vault-backed one) and whether it
// has one.
func (s *Server) CACert(provider string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.providers[provider]
	if p == nil || p.network == nil || p.network.caCert == nil {
		return "", false
	}
	return p.network.caCert.stored(), true
}

// validateCustomUpdate is lib.ValidateCustomProviderUpdate as PUT calls it:
// in is the custom_provider_config of the request (nil when absent or null,
// in v2 too), old the stored one (nil for a provider that does not exist).
func (s *Server) validateCustomUpdate(name string, in, old *custom) error {
	switch {
	case in == nil && old == nil:
		return nil
	case in == nil:
		return fmt.Errorf("custom_provider_config cannot be removed after creation for provider %s", name)
	case old == nil:
		return s.validateCustom(name, in)
	case in.base != old.base:
		return fmt.Errorf("provider %s: base_provider_type cannot be changed from %s to %s after creation", name, old.base, in.base)
	}
	return nil
}

// validateCustom is lib.ValidateCustomProvider.
func (s *Server) validateCustom(name string, c *custom) error {
	switch {
	case s.isStandard(name):
		return fmt.Errorf("custom provider validation failed: cannot be created on standard providers: %s", name)
	case c.base == "":
		return errors.New("custom provider validation failed: base_provider_type is required")
	case !isSupportedBase(c.base):
		return fmt.Errorf("custom provider validation failed: unsupported base_provider_type: %s", c.base)
	}
	return nil
}

// validateBaseURL is v2's bifrost.ValidateExternalURL on
// network_config.base_url: loopback is allowed, unspecified and link-local
// addresses never, private ranges only with allow_private_network.
func (s *Server) validateBaseURL(raw string, allowPrivate bool) error {
	if raw == "" {
		return errors.New("URL cannot be empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("invalid URL format: %w", err)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return fmt.Errorf("only https and http schemes are allowed, got: %s", u.Scheme)
	}
	host := u.Hostname()
	if host == "" {
		return errors.New("URL must have a hostname")
	}
	ips, err := s.lookupIP(host)
	if err != nil {
		return fmt.Errorf("failed to resolve hostname: %w", err)
	}
	for _, ip := range ips {
		switch {
		case ip.IsLoopback():
			continue
		case ip.IsUnspecified():
			return errors.New("unspecified IP addresses are not allowed")
		case isLinkLocal(ip):
			return errors.New("link-local IP addresses are not allowed")
		case !allowPrivate && isPrivateIP(ip):
			return errors.New("private IP addresses are not allowed")
		}
	}
	return nil
}

// publicStandIn is what a name resolves to when nothing says otherwise: an
// address outside every range the check refuses (TEST-NET-3).
var publicStandIn = net.ParseIP("203.0.113.10")

// lookupIP stands in for net.LookupIP: IP literals resolve to themselves;
// names go to Options.LookupIP when set, otherwise "localhost" (and
// *.localhost) resolves to loopback, names under .invalid fail as they do in
// DNS, and any other name resolves to a public address.
func (s *Server) lookupIP(host string) ([]net.IP, error) {
	if ip := net.ParseIP(host); ip != nil {
		return []net.IP{ip}, nil
	}
	if s.opts.LookupIP != nil {
		return s.opts.LookupIP(host)
	}
	name := strings.ToLower(strings.TrimSuffix(host, "."))
	switch {
	case name == "localhost" || strings.HasSuffix(name, ".localhost"):
		return []net.IP{net.IPv6loopback, net.IPv4(127, 0, 0, 1)}, nil
	case name == "invalid" || strings.HasSuffix(name, ".invalid"):
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	return []net.IP{publicStandIn}, nil
}

var (
	privateNets = mustCIDRs("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "127.0.0.0/8")
	linkLocal4  = mustCIDRs("169.254.0.0/16")[0]
	teredo      = netip.MustParsePrefix("2001::/32")
)

func mustCIDRs(cidrs ...string) []*net.IPNet {
	out := make([]*net.IPNet, len(cidrs))
	for i, c := range cidrs {
		_, n, err := net.ParseCIDR(c)
		if err != nil {
			panic(err)
		}
		out[i] = n
	}
	return out
}

// isPrivateIP is core/network.IsPrivateIP.
func isPrivateIP(ip net.IP) bool {
	if ip == nil || ip.IsUnspecified() {
		return true
	}
	for _, n := range privateNets {
		if n.Contains(ip) {
			return true
		}
	}
	if ip.To4() == nil {
		if ip.IsLoopback() || ip.IsLinkLocalUnicast() {
			return true
		}
		if len(ip) == net.IPv6len && ip[0]&0xfe == 0xfc {
			return true
		}
	}
	return false
}

// isLinkLocal is core/network.IsLinkLocal: 169.254/16, fe80::/10, Teredo, and
// 6to4/NAT64 forms embedding a link-local IPv4.
func isLinkLocal(ip net.IP) bool {
	if ip.To4() != nil {
		return linkLocal4.Contains(ip)
	}
	if ip.IsLinkLocalUnicast() {
		return true
	}
	addr, ok := netip.AddrFromSlice(ip)
	if !ok {
		return false
	}
	addr = addr.Unmap()
	if teredo.Contains(addr) {
		return true
	}
	if v4, ok := embeddedIPv4(addr); ok {
		return v4.IsLinkLocalUnicast()
	}
	return false
}

// embeddedIPv4 unwraps 6to4 (2002::/16) and NAT64 (64:ff9b::/96,
// 64:ff9b:1::/48) addresses.
func embeddedIPv4(addr netip.Addr) (netip.Addr, bool) {
	if !addr.Is6() {
		return netip.Addr{}, false
	}
	b := addr.As16()
	switch {
	case b[0] == 0x20 && b[1] == 0x02:
		return netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]}), true
	case b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4] == 0 && b[5] == 0:
		return netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}), true
	case b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4] == 0 && b[5] == 1:
		return netip.AddrFrom4([4]byte{b[6], b[7], b[9], b[10]}), true
	}
	return netip.Addr{}, false
}
