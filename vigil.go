// Package vigil holds the domain model of the vigil casualty-recording system
// and the service interfaces that storage, extraction and HTTP packages
// implement or consume. It imports no storage or transport code.
package vigil

// Version is the build version, set at link time with -ldflags.
var Version = "dev"

// Sensitivity says who may see a value. Public views and exports show only
// public values; restricted values stay inside the restricted tier.
type Sensitivity string

const (
	Public     Sensitivity = "public"
	Restricted Sensitivity = "restricted"
)

// Valid reports whether s is a known sensitivity level.
func (s Sensitivity) Valid() bool { return s == Public || s == Restricted }
