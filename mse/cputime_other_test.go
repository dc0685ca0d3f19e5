//go:build !unix

package mse

func cpuNanos() int64 { return -1 }
