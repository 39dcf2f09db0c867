// Package version reports the build's version.
package version

import "runtime/debug"

// version is set at build time with
// -ldflags "-X github.com/vigilsec/vigil/internal/version.version=v1.2.3".
var version = ""

// Get returns the version: the one set at build time, else the module
// version, else "dev".
func Get() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// Commit returns the VCS revision the binary was built from, if known.
func Commit() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				return s.Value
			}
		}
	}
	return ""
}
