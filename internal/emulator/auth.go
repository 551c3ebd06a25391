package emulator

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
)

const setupTokenHeader = "X-Bifrost-Setup-Token"

func (s *Server) authEnabled() bool { return s.opts.Username != "" && s.opts.Password != "" }

// guard applies the auth middleware to a non-public route.
func (s *Server) guard(r *http.Request) (reply, bool) {
	if s.authEnabled() {
		if !s.authenticated(r) {
			return s.errReply(http.StatusUnauthorized, "Unauthorized"), true
		}
		return reply{}, false
	}
	if s.setupLock && strings.HasPrefix(r.URL.Path, "/api/") {
		switch tok := r.Header.Get(setupTokenHeader); {
		case tok == "":
			return s.errReply(http.StatusUnauthorized, "Setup token required"), true
		case s.opts.SetupToken == "" || tok != s.opts.SetupToken:
			return s.errReply(http.StatusForbidden, "Invalid setup token"), true
		}
	}
	return reply{}, false
}

// authenticated accepts Basic credentials, Bearer base64(user:pass) (legacy),
// Bearer <session token> and the token cookie.
func (s *Server) authenticated(r *http.Request) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, err := r.Cookie("token"); err == nil && s.sessions[c.Value] {
		return true
	}
	h := r.Header.Get("Authorization")
	if cred, ok := strings.CutPrefix(h, "Basic "); ok {
		return s.credentialsMatch(cred)
	}
	if cred, ok := strings.CutPrefix(h, "Bearer "); ok && cred != "" {
		return s.sessions[cred] || s.credentialsMatch(cred)
	}
	return false
}

func (s *Server) credentialsMatch(b64 string) bool {
	raw, err := base64.StdEncoding.DecodeString(b64)
	return err == nil && string(raw) == s.opts.Username+":"+s.opts.Password
}

func (s *Server) isAuthEnabled(c *call) reply {
	enabled := s.authEnabled()
	return jsonReply(object{{"has_valid_token", enabled && s.authenticated(c.r)}, {"is_auth_enabled", enabled}})
}

// login issues a session token in the token cookie; the body carries only a
// message, as on the real server.
func (s *Server) login(c *call) reply {
	var body struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if json.Unmarshal(c.body, &body) != nil {
		return s.errReply(http.StatusBadRequest, "Invalid request body")
	}
	if !s.authEnabled() {
		return s.errReply(http.StatusBadRequest, "Authentication is not enabled")
	}
	if body.Username != s.opts.Username || body.Password != s.opts.Password {
		return s.errReply(http.StatusUnauthorized, "Invalid username or password")
	}
	token := uuid.NewString()
	s.mu.Lock()
	s.sessions[token] = true
	s.mu.Unlock()
	rp := jsonReply(object{{"message", "Login successful"}})
	expires := time.Now().Add(30 * 24 * time.Hour).UTC().Format(http.TimeFormat)
	rp.header = http.Header{"Set-Cookie": {"token=" + token + "; expires=" + expires + "; path=/; HttpOnly; SameSite=Lax"}}
	return rp
}
