package emulator

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
)

const testEnvKey = "sk-env-abcdefghijklmnopqrstuvwxyz0123"

// exchange is one line of a recorded exchange file in testdata: the v1.5.1
// recordings (raw-exchanges.jsonl, governance-exchanges.jsonl) and their
// replays on a real v2 (v2/*-v2.jsonl).
type exchange struct {
	Note        string          `json:"note"`
	Method      string          `json:"method"`
	Path        string          `json:"path"`
	Request     json.RawMessage `json:"request"`
	Status      int             `json:"status"`
	ContentType string          `json:"content_type"`
	ResponseRaw string          `json:"response_raw"`
}

var (
	uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}`)
	// timeRE matches the RFC 3339 timestamps servers stamp on governance
	// entities (created_at, last_reset, ...): they are compared as a shape.
	timeRE = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)`)
)

// uuidMap pairs server-generated ids of the recording with the ones the
// emulator generated, fixed the first time each appears.
type uuidMap map[string]string

// normalise rewrites the emulator's uuids in got to the recorded ones in want,
// failing when the pairing contradicts an earlier one.
func (m uuidMap) normalise(t *testing.T, want, got string) string {
	t.Helper()
	w, g := uuidRE.FindAllString(want, -1), uuidRE.FindAllString(got, -1)
	if len(w) != len(g) {
		return got
	}
	for i := range w {
		if prev, ok := m[w[i]]; ok && prev != g[i] {
			t.Errorf("recorded id %s maps to %s, earlier to %s", w[i], g[i], prev)
		}
		m[w[i]] = g[i]
		got = strings.Replace(got, g[i], w[i], 1)
	}
	return got
}

// resolve rewrites the recorded ids in a request (path or body) to the ones
// the emulator chose for them.
func (m uuidMap) resolve(s string) string {
	return uuidRE.ReplaceAllStringFunc(s, func(id string) string {
		if got, ok := m[id]; ok {
			return got
		}
		return id
	})
}

func loadExchanges(t *testing.T, file string) []exchange {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []exchange
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var e exchange
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// requestBody is the body an exchange sent: the JSON as recorded, or the raw
// text for the invalid-JSON case.
func (e exchange) requestBody() string {
	switch {
	case len(e.Request) == 0 || string(e.Request) == "null":
		return ""
	case e.Request[0] == '"':
		var s string
		_ = json.Unmarshal(e.Request, &s)
		return s
	}
	return string(e.Request)
}

// replay sends every exchange of file, in order, to a new emulator started
// with opts and compares status, content type and body byte for byte, with
// server-chosen uuids paired and timestamps compared as a shape.
func replay(t *testing.T, file string, count int, opts Options) {
	t.Helper()
	s := startServer(t, opts)
	ids := uuidMap{}
	exchanges := loadExchanges(t, file)
	if len(exchanges) != count {
		t.Fatalf("want %d exchanges in %s, got %d", count, file, len(exchanges))
	}
	for i, e := range exchanges {
		var body io.Reader
		if b := e.requestBody(); b != "" {
			body = strings.NewReader(ids.resolve(b))
		}
		req, err := http.NewRequest(e.Method, s.URL()+ids.resolve(e.Path), body)
		if err != nil {
			t.Fatal(err)
		}
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("#%d %s: %v", i, e.Note, err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != e.Status {
			t.Errorf("#%d %s: status %d, want %d", i, e.Note, resp.StatusCode, e.Status)
		}
		if ct := resp.Header.Get("Content-Type"); ct != e.ContentType {
			t.Errorf("#%d %s: content type %q, want %q", i, e.Note, ct, e.ContentType)
		}
		got := timeRE.ReplaceAllString(ids.normalise(t, e.ResponseRaw, string(raw)), "<time>")
		if want := timeRE.ReplaceAllString(e.ResponseRaw, "<time>"); got != want {
			t.Errorf("#%d %s: body\n got %s\nwant %s", i, e.Note, got, want)
		}
	}
}

func TestConformanceRawExchanges(t *testing.T) {
	replay(t, "testdata/raw-exchanges.jsonl", 48, Options{
		Version:   "v1.5.1-snapshot",
		Env:       map[string]string{"BIFROST_TEST_OPENAI_KEY": testEnvKey},
		Providers: []string{"azure"},
	})
}

// v2Recorded is the version the v2 recordings report: a prerelease of
// Bifrost 2 built without MCP ("lite"), see ../shared/bifrost-api/v2.
const v2Recorded = "v2.0.0-prerelease3-lite"

func TestConformanceGovernanceExchanges(t *testing.T) {
	replay(t, "testdata/governance-exchanges.jsonl", 109, Options{Version: "v1.5.1"})
}

func TestConformanceV2RawExchanges(t *testing.T) {
	replay(t, "testdata/v2/raw-exchanges-v2.jsonl", 48, Options{
		Version: v2Recorded,
		Env:     map[string]string{"BIFROST_TEST_OPENAI_KEY": testEnvKey},
	})
}

func TestConformanceV2GovernanceExchanges(t *testing.T) {
	replay(t, "testdata/v2/governance-exchanges-v2.jsonl", 109, Options{Version: v2Recorded})
}

func startServer(t *testing.T, opts Options) *Server {
	t.Helper()
	s, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}
