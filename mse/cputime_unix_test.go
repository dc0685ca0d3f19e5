//go:build unix

package mse

import "syscall"

// cpuNanos is the CPU time (user + system) this process has used, for
// benchmarks on a shared machine, where wall time depends on the load.
func cpuNanos() int64 {
	var r syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &r) != nil {
		return -1
	}
	return r.Utime.Nano() + r.Stime.Nano()
}
