//go:build !unix

package fix

import "os"

// owner is the user and group that own a file; unknown here.
func owner(os.FileInfo) (uid, gid int, ok bool) { return 0, 0, false }
