//go:build !unix

package host

import "io/fs"

func owner(fs.FileInfo) (uid, gid int, ok bool) { return 0, 0, false }

const openNonBlock = 0
