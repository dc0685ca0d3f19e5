package main

import (
	"bufio"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/export"
	"github.com/vigil-rec/vigil/web"
)

func init() {
	register(newExportCmd)
	register(newImportCmd)
}

func newExportCmd(a *App) *cobra.Command {
	var format, out, as string
	var public, children bool
	var limit int
	flags := map[string]*string{}
	cmd := &cobra.Command{
		Use:   "export --format csv|hxl|geojson|xlsx|json|acled|ucdp [filters] [--out FILE]",
		Short: "Export incidents (streamed); filters as in the API; --public exports what the public sees",
		Args:  cobra.NoArgs,
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			fm, err := export.ByName(format)
			if err != nil {
				return Usagef("--format: %s", vigil.ErrorMessage(err))
			}
			q := url.Values{}
			for name, v := range flags {
				if *v != "" {
					q.Set(name, *v)
				}
			}
			if children {
				q.Set("children", "1")
			}
			q.Set("limit", strconv.Itoa(limit))
			f, err := web.FilterFromQuery(q)
			if err != nil {
				return Usagef("--%s", vigil.ErrorMessage(err))
			}
			svc, err := a.reviewService(cmd)
			if err != nil {
				return err
			}
			var u *vigil.User
			switch {
			case public:
				u = nil
			case as != "" || os.Getenv("VIGIL_USER") != "":
				if u, err = a.actingUser(cmd, as); err != nil {
					return err
				}
			default:
				u = &vigil.User{Username: actor(), Role: vigil.RoleViewer} // whoever can open the store reads it
			}
			if out == "" || out == "-" {
				bw := bufio.NewWriterSize(a.Stdout, 64<<10)
				if err := export.Write(cmd.Context(), bw, svc, u, f, fm); err != nil {
					return err
				}
				return bw.Flush()
			}
			return writeAtomic(out, func(w io.Writer) error { return export.Write(cmd.Context(), w, svc, u, f, fm) })
		}),
	}
	fl := cmd.Flags()
	fl.StringVar(&format, "format", "csv", "export format: "+strings.Join(export.Names(), ", "))
	fl.StringVar(&out, "out", "", "write to FILE (atomically) instead of standard output")
	fl.StringVar(&as, "as", "", "export as this user (env VIGIL_USER)")
	fl.BoolVar(&public, "public", false, "export what the public sees: published incidents, restricted values withheld")
	fl.BoolVar(&children, "children", false, "only incidents with children among the casualties")
	fl.IntVar(&limit, "limit", 0, "at most this many incidents (0: all)")
	for _, f := range []struct{ name, help string }{
		{"from", "on or after this date (YYYY-MM-DD)"}, {"to", "before this date (YYYY-MM-DD)"}, {"type", "event type, e.g. air_strike"},
		{"governorate", "governorate p-code or name"}, {"pcode", "place or admin p-code"}, {"perpetrator", "actor key, e.g. russia"},
		{"grade", "grade"}, {"state", "review state"}, {"facility", "facility type, e.g. health"}, {"q", "full-text search over the documents"},
	} {
		v := new(string)
		flags[f.name] = v
		fl.StringVar(v, f.name, "", f.help)
	}
	return cmd
}

// writeAtomic writes a file through a temporary file in the same directory.
func writeAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriterSize(tmp, 64<<10)
	if err := write(bw); err != nil {
		tmp.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func newImportCmd(a *App) *cobra.Command {
	var format, as string
	var incidents, asJSON bool
	cmd := &cobra.Command{
		Use:   "import --format acled|ucdp FILE...",
		Short: "Import ACLED- or UCDP-GED-shaped CSV rows as source documents with their claims",
		Args:  cobra.MinimumNArgs(1),
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			if format != "acled" && format != "ucdp" {
				return Usagef("--format: want acled or ucdp, got %q", format)
			}
			db, blobs, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			who := as
			if who == "" {
				who = actor()
			}
			var total export.ImportResult
			for _, path := range args {
				f, err := os.Open(path)
				if err != nil {
					return err
				}
				res, err := export.Import(cmd.Context(), db, blobs, f, export.ImportOptions{Format: format, File: path, Actor: who, Incidents: incidents})
				f.Close()
				if err != nil {
					return err
				}
				total.Rows += res.Rows
				total.Created += res.Created
				total.Unchanged += res.Unchanged
				total.Incidents += res.Incidents
				if !asJSON {
					a.Printf("%s: %d rows, %d new documents, %d unchanged, %d incidents\n", path, res.Rows, res.Created, res.Unchanged, res.Incidents)
				}
			}
			if asJSON {
				return a.JSON(total)
			}
			return nil
		}),
	}
	cmd.Flags().StringVar(&format, "format", "", "acled or ucdp")
	cmd.Flags().StringVar(&as, "as", "", "who imports (recorded in the custody log)")
	cmd.Flags().BoolVar(&incidents, "incidents", false, "also create one incident per new row (otherwise the resolver places the claims)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the counts as JSON")
	return cmd
}

var _ = fmt.Sprint
