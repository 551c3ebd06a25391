package bench

import (
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// Backends of the workspaces' state.
const (
	// BackendHTTP keeps state in an in-process server through Terraform's
	// http backend, as a remote backend (S3, HCP Terraform, ...) does: a
	// remote backend persists intermediate snapshots at most every 20 s.
	BackendHTTP = "http"
	// BackendLocal is Terraform's default local backend, which rewrites and
	// fsyncs the whole terraform.tfstate after every resource instance it
	// applies: O(N) per instance, O(N²) per apply, in Terraform alone.
	BackendLocal = "local"
)

// stateServer is the server of Terraform's http backend: GET returns the
// state stored at a path (404 when there is none), POST stores it, DELETE
// removes it. No lock address is configured, so Terraform does not lock.
type stateServer struct {
	mu     sync.Mutex
	states map[string][]byte
	srv    *http.Server
	ln     net.Listener
}

func startStateServer() (*stateServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &stateServer{states: map[string][]byte{}, ln: ln}
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// address is the backend address of a workspace.
func (s *stateServer) address(workspace string) string {
	return "http://" + s.ln.Addr().String() + "/" + workspace
}

func (s *stateServer) close() { _ = s.srv.Close() }

// get returns the state stored for a workspace, if any.
func (s *stateServer) get(workspace string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.states["/"+workspace]
	return b, ok
}

func (s *stateServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		s.mu.Lock()
		b, ok := s.states[r.URL.Path]
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b)
	case http.MethodPost:
		b, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.mu.Lock()
		s.states[r.URL.Path] = b
		s.mu.Unlock()
	case http.MethodDelete:
		s.mu.Lock()
		delete(s.states, r.URL.Path)
		s.mu.Unlock()
	default:
		w.Header().Set("Allow", "GET, POST, DELETE")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}
