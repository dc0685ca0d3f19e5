//go:build tools

// Package tools pins modules the project uses before every package imports them.
package tools

import (
	_ "codeberg.org/readeck/go-readability/v2"
	_ "github.com/spf13/cobra"
	_ "gonum.org/v1/gonum/mat"
	_ "modernc.org/sqlite"
)
