package governance

import (
	"fmt"
	"testing"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

// keys is a Kind over bifrost.Team with a two-word noun, to check the words.
var keys = Kind[bifrost.Team]{
	Noun: "virtual key",
	ID:   func(t *bifrost.Team) string { return t.ID }, Name: func(t *bifrost.Team) string { return t.Name },
}

func TestKindWords(t *testing.T) {
	if keys.Title() != "Virtual key" || keys.Plural() != "virtual keys" || keys.count(1) != "1 virtual key" {
		t.Errorf("Title %q, Plural %q, count(1) %q", keys.Title(), keys.Plural(), keys.count(1))
	}
}

func TestFilter(t *testing.T) {
	all := []bifrost.Team{{ID: "1", Name: "platform", CustomerID: "c"}, {ID: "2", Name: "research"}, {ID: "3", Name: "platform-2"}}
	ids := func(ts []bifrost.Team) (out []string) {
		for _, t := range ts {
			out = append(out, t.ID)
		}
		return out
	}
	for _, tc := range []struct {
		re   string
		keep func(*bifrost.Team) bool
		want string
	}{
		{"", nil, "[1 2 3]"},
		{"^platform", nil, "[1 3]"},
		{"", func(t *bifrost.Team) bool { return t.CustomerID == "c" }, "[1]"},
		{"^research$", func(t *bifrost.Team) bool { return t.CustomerID == "c" }, "[]"},
	} {
		got, err := keys.Filter(all, tc.re, tc.keep)
		if err != nil || fmt.Sprint(ids(got)) != tc.want {
			t.Errorf("Filter(%q): %v (%v), want %s", tc.re, ids(got), err, tc.want)
		}
	}
	if _, err := keys.Filter(all, "(", nil); err == nil {
		t.Error("Filter of an invalid regular expression: no error")
	}
	if found := keys.named(all, "research"); len(found) != 1 || found[0].ID != "2" {
		t.Errorf("named research: %v", found)
	}
}
