package main

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"
)

func runVersion(_ context.Context, e *Env, args []string) error {
	if _, err := e.parse(e.flags("version", nil), args, 0, 0); err != nil {
		return err
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return fmt.Errorf("no build information in this binary")
	}
	fmt.Fprintln(e.Stdout, versionLine(bi))
	return nil
}

// versionLine is "paydesk <module version> <revision> <go version>". A
// binary built with `go build` in a git checkout carries the revision (and
// whether the tree had changes); `go install paydesk/cmd/paydesk@v1.2.3`
// carries the module version; -buildvcs=false, or a tree without .git,
// leaves the revision out, and the line says so.
func versionLine(bi *debug.BuildInfo) string {
	var rev, at string
	modified := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	parts := []string{"paydesk", or(bi.Main.Version, "(devel)")}
	switch {
	case rev == "":
		parts = append(parts, "revision unknown (built without VCS information, e.g. -buildvcs=false)")
	case modified:
		parts = append(parts, "revision "+rev+" with uncommitted changes")
	default:
		parts = append(parts, "revision "+rev)
	}
	if at != "" {
		parts = append(parts, "("+at+")")
	}
	return strings.Join(append(parts, bi.GoVersion), " ")
}
