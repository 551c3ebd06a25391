package bifrost

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"sync"
)

// ServerVersion is the version a Bifrost server reports on /api/version.
type ServerVersion struct {
	Raw                 string
	Major, Minor, Patch int
}

// AtLeast reports whether v is major.minor or newer.
func (v ServerVersion) AtLeast(major, minor int) bool {
	return v.Major > major || (v.Major == major && v.Minor >= minor)
}

var versionRe = regexp.MustCompile(`^v?(\d+)\.(\d+)(?:\.(\d+))?`)

// ParseServerVersion reads "v1.5.1", "v1.5.1-snapshot", "2.2.6" and the like.
func ParseServerVersion(s string) (ServerVersion, error) {
	m := versionRe.FindStringSubmatch(s)
	if m == nil {
		return ServerVersion{}, fmt.Errorf("unrecognised Bifrost version %q", s)
	}
	v := ServerVersion{Raw: s}
	v.Major, _ = strconv.Atoi(m[1])
	v.Minor, _ = strconv.Atoi(m[2])
	v.Patch, _ = strconv.Atoi(m[3])
	return v, nil
}

// serverVersion remembers the server's version for the client's lifetime
// (one Terraform command): it is asked at most once, and only when needed.
type serverVersion struct {
	mu sync.Mutex
	v  *ServerVersion
}

// ServerVersion returns the server's version, asking /api/version the first
// time it is needed.
func (c *Client) ServerVersion(ctx context.Context) (ServerVersion, error) {
	c.version.mu.Lock()
	defer c.version.mu.Unlock()
	if c.version.v != nil {
		return *c.version.v, nil
	}
	raw, err := c.Version(ctx)
	if err != nil {
		return ServerVersion{}, err
	}
	v, err := ParseServerVersion(raw)
	if err != nil {
		return ServerVersion{}, err
	}
	c.version.v = &v
	return v, nil
}
