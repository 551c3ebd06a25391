package emulator

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
)

const testEnvKey = "sk-env-abcdefghijklmnopqrstuvwxyz0123"

// exchange is one line of testdata/raw-exchanges.jsonl, recorded from a real
// Bifrost v1.5.1.
type exchange struct {
	Note        string          `json:"note"`
	Method      string          `json:"method"`
	Path        string          `json:"path"`
	Request     json.RawMessage `json:"request"`
	Status      int             `json:"status"`
	ContentType string          `json:"content_type"`
	ResponseRaw string          `json:"response_raw"`
}

var uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}`)

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

func loadExchanges(t *testing.T) []exchange {
	t.Helper()
	f, err := os.Open("testdata/raw-exchanges.jsonl")
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
func (e exchange) requestBody() io.Reader {
	switch {
	case len(e.Request) == 0 || string(e.Request) == "null":
		return nil
	case e.Request[0] == '"':
		var s string
		_ = json.Unmarshal(e.Request, &s)
		return strings.NewReader(s)
	}
	return bytes.NewReader(e.Request)
}

func TestConformanceRawExchanges(t *testing.T) {
	s := startServer(t, Options{
		Version:   "v1.5.1-snapshot",
		Env:       map[string]string{"BIFROST_TEST_OPENAI_KEY": testEnvKey},
		Providers: []string{"azure"},
	})
	ids := uuidMap{}
	exchanges := loadExchanges(t)
	if len(exchanges) != 48 {
		t.Fatalf("want 48 exchanges, got %d", len(exchanges))
	}
	for i, e := range exchanges {
		req, err := http.NewRequest(e.Method, s.URL()+e.Path, e.requestBody())
		if err != nil {
			t.Fatal(err)
		}
		if req.Body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("#%d %s: %v", i, e.Note, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != e.Status {
			t.Errorf("#%d %s: status %d, want %d", i, e.Note, resp.StatusCode, e.Status)
		}
		if ct := resp.Header.Get("Content-Type"); ct != e.ContentType {
			t.Errorf("#%d %s: content type %q, want %q", i, e.Note, ct, e.ContentType)
		}
		if got := ids.normalise(t, e.ResponseRaw, string(body)); got != e.ResponseRaw {
			t.Errorf("#%d %s: body\n got %s\nwant %s", i, e.Note, got, e.ResponseRaw)
		}
	}
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
