// Command bifrost-emulator serves the emulated Bifrost management API until
// interrupted. The first line of stdout is "listening on <URL>".
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// repeated collects a flag given several times.
type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ",") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

func main() {
	var (
		opts      emulator.Options
		env       repeated
		providers repeated
		latency   time.Duration
		loadLocks string
	)
	flag.StringVar(&opts.Addr, "addr", "127.0.0.1:8080", "listen address (port 0 picks a free port)")
	flag.StringVar(&opts.Version, "version", "v1.5.1", "Bifrost version to emulate (v1.5.1, v2.2.6, ...)")
	flag.Var(&env, "env", "NAME=VALUE of Bifrost's environment, for env.NAME references (repeatable)")
	flag.StringVar(&opts.Username, "username", "", "admin username; with -password enables auth")
	flag.StringVar(&opts.Password, "password", "", "admin password; with -username enables auth")
	flag.StringVar(&opts.SetupToken, "setup-token", "", "v2.2.6+ setup token (X-Bifrost-Setup-Token)")
	flag.DurationVar(&latency, "latency", 0, "fixed latency added to every request")
	flag.Var(&providers, "provider", "provider created at start (repeatable)")
	flag.StringVar(&loadLocks, "load-locks", "off",
		"refuse writes with SQLite's 500 \"database is locked\" more often the more writes are in flight: "+
			"off, on ("+emulator.DefaultLoadLocks.String()+"), or name=value pairs among free, slope, max, seed, hold, busy changing those")
	flag.Parse()

	opts.Env = map[string]string{}
	for _, e := range env {
		name, value, ok := strings.Cut(e, "=")
		if !ok {
			fmt.Fprintf(os.Stderr, "bifrost-emulator: -env %q: want NAME=VALUE\n", e)
			os.Exit(2)
		}
		opts.Env[name] = value
	}
	opts.Providers = providers
	locks, err := emulator.ParseLoadLocks(loadLocks)
	if err != nil {
		fmt.Fprintf(os.Stderr, "bifrost-emulator: -load-locks: %v\n", err)
		os.Exit(2)
	}
	opts.LoadLocks = locks

	s, err := emulator.Start(opts)
	if err != nil {
		fmt.Fprintf(os.Stderr, "bifrost-emulator: %v\n", err)
		os.Exit(1)
	}
	s.SetLatency(latency)
	fmt.Printf("listening on %s\n", s.URL())

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	<-sig
	s.Close()
}
