package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/gazetteer"
)

func init() { register(newGazetteerCmd) }

func newGazetteerCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "gazetteer",
		Short: "Import, list and look up places (built-in Syria gazetteer plus imported OCHA and GeoNames files)",
	}
	cmd.AddCommand(newGazImportCmd(a), newGazListCmd(a), newGazShowCmd(a), newGazLookupCmd(a), newGazLocateCmd(a))
	return cmd
}

// gazetteer returns the built-in gazetteer with the places stored in the
// store and their boundaries; an embedded store that does not exist yet
// gives the built-in gazetteer alone (nothing is created).
func (a *App) gazetteer(ctx context.Context) (*gazetteer.Gazetteer, error) {
	if _, err := os.Stat(filepath.Join(a.DataDir, "vigil.db")); errors.Is(err, fs.ErrNotExist) && !a.usesPostgres() {
		return gazetteer.Load(ctx, nil, a.DataDir)
	}
	db, _, err := a.Store(ctx)
	if err != nil {
		return nil, err
	}
	return gazetteer.Load(ctx, db, a.DataDir)
}

func newGazImportCmd(a *App) *cobra.Command {
	var format string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "import FILE...",
		Short: "Import OCHA COD-AB (CSV or GeoJSON), GeoNames or Syrian Archive files into the store",
		Long: `Reads each file, stores its places (by p-code, geonames:ID or
syrianarchive:PK) and keeps GeoJSON boundaries in DATA/gazetteer/ so that a
point inside a polygon gets its p-code. The format comes from the extension
(.csv OCHA CSV, or Syrian Archive's located places when the header is
theirs; .geojson OCHA GeoJSON; .tsv/.txt GeoNames) unless --format is
given. A file with an error (named with its line and field) is not
imported; the others are.
Exits 1 if any file failed.`,
		Args: cobra.MinimumNArgs(1),
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			switch format {
			case "", gazetteer.FormatOCHACSV, gazetteer.FormatOCHAGeoJSON, gazetteer.FormatGeoNames, gazetteer.FormatSyrianArchive:
			default:
				return Usagef("--format: want %s", strings.Join(gazetteer.Formats(), ", "))
			}
			ctx := cmd.Context()
			db, _, err := a.Store(ctx)
			if err != nil {
				return err
			}
			type result struct {
				File     string `json:"file"`
				Format   string `json:"format,omitempty"`
				Places   int    `json:"places"`
				Polygons int    `json:"polygons"`
				Skipped  int    `json:"skipped"`
				Error    string `json:"error,omitempty"`
			}
			var results []result
			failed := 0
			for _, path := range args {
				r := result{File: path}
				err := func() error {
					im, err := gazetteer.ImportFile(path, format)
					if err != nil {
						return err
					}
					r.Format, r.Places, r.Polygons, r.Skipped = im.Format, len(im.Places), len(im.Polygons), im.Skipped
					if err := gazetteer.Save(ctx, db, im.Places); err != nil {
						return err
					}
					name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)) + ".geojson"
					return gazetteer.SavePolygons(filepath.Join(a.DataDir, gazetteer.PolygonDir, name), im)
				}()
				if err != nil {
					failed++
					r.Error = vigil.ErrorMessage(err)
					if vigil.ErrorKind(err) == vigil.EINTERNAL {
						r.Error = err.Error()
					}
				}
				results = append(results, r)
			}
			if asJSON {
				if err := a.JSON(struct {
					Results []result `json:"results"`
					Failed  int      `json:"failed"`
				}{results, failed}); err != nil {
					return err
				}
			} else {
				for _, r := range results {
					if r.Error != "" {
						fmt.Fprintf(a.Stderr, "%s: not imported: %s\n", r.File, r.Error)
						continue
					}
					a.Printf("%s: %s, %d places, %d polygons stored", r.File, r.Format, r.Places, r.Polygons)
					if r.Skipped > 0 {
						a.Printf(", %d features skipped", r.Skipped)
					}
					a.Printf("\n")
				}
			}
			if failed > 0 {
				return fmt.Errorf("%d of %d files not imported", failed, len(args))
			}
			return nil
		}),
	}
	cmd.Flags().StringVar(&format, "format", "", "file format: "+strings.Join(gazetteer.Formats(), ", ")+" (default: from the extension)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func newGazListCmd(a *App) *cobra.Command {
	var asJSON bool
	var precision, gov string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the places of the gazetteer (built-in and imported)",
		Args:  cobra.NoArgs,
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			var want vigil.PlacePrecision
			if precision != "" {
				p, err := vigil.ParsePlacePrecision(precision)
				if err != nil {
					return Usagef("--precision: %v", err)
				}
				want = p
			}
			g, err := a.gazetteer(cmd.Context())
			if err != nil {
				return err
			}
			out := []*vigil.Place{}
			for _, p := range g.Places() {
				if want != vigil.PlaceUnknown && p.Precision != want {
					continue
				}
				if gov != "" && !inGovernorate(p, gov) {
					continue
				}
				out = append(out, p)
			}
			if asJSON {
				return a.JSON(struct {
					Places []*vigil.Place `json:"places"`
					Total  int            `json:"total"`
				}{out, len(out)})
			}
			a.printPlaces(out)
			return nil
		}),
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().StringVar(&precision, "precision", "", "only places of this precision (country, governorate, district, town, neighbourhood)")
	cmd.Flags().StringVar(&gov, "governorate", "", "only places in this governorate (p-code or name)")
	return cmd
}

func inGovernorate(p *vigil.Place, gov string) bool {
	u := p.Governorate()
	if u == nil {
		return false
	}
	return strings.EqualFold(u.PCode, gov) || gazetteer.Key(u.Name) == gazetteer.Key(gov) || (u.NameAR != "" && gazetteer.Key(u.NameAR) == gazetteer.Key(gov))
}

func (a *App) printPlaces(ps []*vigil.Place) {
	tw := tabwriter.NewWriter(a.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPRECISION\tNAME\tARABIC\tGOVERNORATE\tPCODE")
	for _, p := range ps {
		gov := ""
		if u := p.Governorate(); u != nil {
			gov = u.Name
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", p.ID, p.Precision, p.Name, p.NameAR, gov, p.PCode)
	}
	tw.Flush()
}

func (a *App) printPlace(p *vigil.Place) {
	a.Printf("id:        %s\nname:      %s\n", p.ID, p.Name)
	if p.NameAR != "" {
		a.Printf("arabic:    %s\n", p.NameAR)
	}
	if p.PCode != "" {
		a.Printf("p-code:    %s\n", p.PCode)
	}
	a.Printf("precision: %s\n", p.Precision)
	if p.HasPoint() {
		a.Printf("point:     %.5f, %.5f\n", *p.Lat, *p.Lon)
	}
	var path []string
	for _, u := range p.Admin {
		s := u.Name
		if s == "" {
			s = u.PCode
		} else if u.PCode != "" {
			s += " (" + u.PCode + ")"
		}
		path = append(path, s)
	}
	if len(path) > 0 {
		a.Printf("admin:     %s\n", strings.Join(path, " > "))
	}
	if len(p.Variants) > 0 {
		a.Printf("variants:  %s\n", strings.Join(p.Variants, "; "))
	}
}

func newGazShowCmd(a *App) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show ID|PCODE|NAME",
		Short: "Show one place: by id, p-code, or the first place a name looks up",
		Args:  cobra.ExactArgs(1),
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			g, err := a.gazetteer(cmd.Context())
			if err != nil {
				return err
			}
			p := g.ByID(args[0])
			if p == nil {
				p = g.ByPCode(args[0])
			}
			if p == nil {
				if ps := g.Lookup(gazetteer.Key(args[0])); len(ps) > 0 {
					p = ps[0]
				}
			}
			if p == nil {
				return vigil.Errorf(vigil.ENOTFOUND, "no place %q", args[0])
			}
			if asJSON {
				return a.JSON(p)
			}
			a.printPlace(p)
			return nil
		}),
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func newGazLookupCmd(a *App) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "lookup NAME...",
		Short: "Every place a name denotes, most specific first (the words are joined into one name)",
		Args:  cobra.MinimumNArgs(1),
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			g, err := a.gazetteer(cmd.Context())
			if err != nil {
				return err
			}
			name := strings.Join(args, " ")
			key := gazetteer.Key(name)
			ps := g.Lookup(key)
			if ps == nil {
				ps = []*vigil.Place{}
			}
			if asJSON {
				return a.JSON(struct {
					Name   string         `json:"name"`
					Key    string         `json:"key"`
					Places []*vigil.Place `json:"places"`
				}{name, key, ps})
			}
			if len(ps) == 0 {
				return vigil.Errorf(vigil.ENOTFOUND, "no place named %q (key %q)", name, key)
			}
			a.Printf("key %q: %d places\n", key, len(ps))
			a.printPlaces(ps)
			return nil
		}),
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func newGazLocateCmd(a *App) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "locate LAT LON",
		Short: "The smallest imported boundary containing a point",
		Args:  cobra.ExactArgs(2),
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			lat, err1 := strconv.ParseFloat(args[0], 64)
			lon, err2 := strconv.ParseFloat(args[1], 64)
			if err1 != nil || err2 != nil || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
				return Usagef("want LAT LON in decimal degrees, got %q %q", args[0], args[1])
			}
			g, err := a.gazetteer(cmd.Context())
			if err != nil {
				return err
			}
			p := g.Locate(lat, lon)
			if p == nil {
				if g.Polygons() == 0 {
					return vigil.Errorf(vigil.ENOTFOUND, "no boundaries imported (vigil gazetteer import a GeoJSON file first)")
				}
				return vigil.Errorf(vigil.ENOTFOUND, "no imported boundary contains %v, %v", lat, lon)
			}
			if asJSON {
				return a.JSON(p)
			}
			a.printPlace(p)
			return nil
		}),
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
