//go:build unix

package host

import (
	"io/fs"
	"syscall"
)

func owner(st fs.FileInfo) (uid, gid int, ok bool) {
	s, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, false
	}
	return int(s.Uid), int(s.Gid), true
}

// openNonBlock keeps opening a FIFO from waiting for a writer.
const openNonBlock = syscall.O_NONBLOCK
