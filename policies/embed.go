// Package policies embeds Vigil's built-in control library: one directory
// per control under controls/ (control.yaml, Rego, tests.yaml), shared Rego
// packages under lib/, framework descriptions under frameworks/ and control
// input defaults under inputs/. See docs/CONTROLS-AUTHORING.md.
package policies

import (
	"embed"
	"io/fs"
)

//go:embed controls frameworks lib inputs categories.yaml
var files embed.FS

// FS returns the library's files.
func FS() fs.FS { return files }
