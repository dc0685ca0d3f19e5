package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/vigil-rec/vigil/extract"
	"github.com/vigil-rec/vigil/extract/eval"
	"github.com/vigil-rec/vigil/gazetteer"
	"github.com/vigil-rec/vigil/resolve"
	"github.com/vigil-rec/vigil/resolve/airwars"
)

func init() {
	register(newResolveCmd)
	registerEval(newEvalResolveCmd)
}

// resolveConfig loads --config, or the defaults.
func resolveConfig(path string) (resolve.Config, error) {
	if path == "" {
		c := resolve.DefaultConfig()
		return c, nil
	}
	c, err := resolve.LoadConfig(path)
	if err != nil {
		return c, Usagef("--config: %v", err)
	}
	return c, nil
}

func newResolveCmd(a *App) *cobra.Command {
	var asJSON bool
	var cfgPath string
	cmd := &cobra.Command{
		Use:   "resolve",
		Short: "Place every unresolved claim in an incident (join, new, or new linked as possible duplicate)",
		Long: `Matches each claim not yet in an incident against the incidents of its date
window and governorate, records the decision with its features, and creates
or updates incidents (figures as min-max over sources, attribution, proposed
grade), each change in the audit log as "vigil resolve". Thresholds and
weights come from --config (JSON; see docs/resolution.md).`,
		Args: cobra.NoArgs,
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			cfg, err := resolveConfig(cfgPath)
			if err != nil {
				return err
			}
			db, _, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			st, err := resolve.Run(cmd.Context(), db, db, db, cfg)
			if err != nil {
				return err
			}
			if asJSON {
				return a.JSON(st)
			}
			a.Printf("%d claims: %d joined an incident, %d started one, %d started one linked as possible duplicate (%d incidents created, %d updated)\n",
				st.Claims, st.Joined, st.New, st.PossibleDuplicates, st.IncidentsCreated, st.IncidentsUpdated)
			return nil
		}),
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the counts as JSON")
	cmd.Flags().StringVar(&cfgPath, "config", "", "resolution configuration (JSON)")
	return cmd
}

func newEvalResolveCmd(a *App) *cobra.Command {
	var asJSON, latinOnly bool
	var dir, cfgPath, gazDir string
	cmd := &cobra.Command{
		Use:   "resolve --airwars DIR",
		Short: "Measure incident resolution against Airwars' incident codes",
		Long: `Ingests the Airwars source texts of DIR into a temporary store, rejects
log-in walls and boilerplate, duplicates and texts in a script other than
Latin and Arabic (with --latin-only, Arabic ones too), extracts claims,
resolves them and scores the grouping of texts against Airwars' incident
codes (pairwise and B-cubed, over all used texts, per script and per
validation fold), and how often the resolved killed range overlaps
Airwars' range. Places resolve through the built-in gazetteer plus the OCHA
and GeoNames files under --gazetteer (default $VIGIL_SHARED/data/gazetteer,
../shared beside the repository), as in vigil eval extract --airwars;
--gazetteer builtin uses the built-in gazetteer alone. The
store under --data is not used.`,
		Args: cobra.NoArgs,
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			if dir == "" {
				return Usagef("--airwars DIR is required")
			}
			cfg, err := resolveConfig(cfgPath)
			if err != nil {
				return err
			}
			if gazDir == "" {
				shared := os.Getenv("VIGIL_SHARED")
				if shared == "" {
					shared = filepath.Join("..", "shared")
				}
				gazDir = filepath.Join(shared, "data", "gazetteer")
			}
			g := gazetteer.Builtin()
			if gazDir != "builtin" {
				if g, err = eval.GazetteerWithImports(gazDir); err != nil {
					return err
				}
			}
			rep, err := airwars.Evaluate(cmd.Context(), dir, airwars.Options{Extractor: extract.New(g), Config: cfg, Log: a.Log, LatinOnly: latinOnly})
			if err != nil {
				return err
			}
			if asJSON {
				return a.JSON(rep)
			}
			a.Printf("texts %d, used %d (%d Latin, %d Arabic script); rejected: %d boilerplate, %d duplicate, %d in another script\n",
				rep.Texts, rep.Used, rep.Scripts[airwars.ScriptLatin].Used, rep.Scripts[airwars.ScriptArabic].Used,
				rep.Rejected.Boilerplate, rep.Rejected.Duplicate, rep.Rejected.NotLatin)
			a.Printf("claims %d (%d used texts gave none), incidents %d (%d joins, %d possible duplicates)\n",
				rep.Claims, rep.NoClaims, rep.Incidents, rep.Stats.Joined, rep.Stats.PossibleDuplicates)
			a.Printf("pairwise  precision %.3f  recall %.3f  F1 %.3f\n", rep.Pairwise.Precision, rep.Pairwise.Recall, rep.Pairwise.F1)
			a.Printf("B-cubed   precision %.3f  recall %.3f  F1 %.3f\n", rep.BCubed.Precision, rep.BCubed.Recall, rep.BCubed.F1)
			a.Printf("pairwise, possible-duplicate links counted as together: precision %.3f  recall %.3f  F1 %.3f\n",
				rep.PairwiseWithLinks.Precision, rep.PairwiseWithLinks.Recall, rep.PairwiseWithLinks.F1)
			a.Printf("pairwise over the %d texts that gave a claim: precision %.3f  recall %.3f  F1 %.3f\n",
				rep.Used-rep.NoClaims, rep.PairwiseClaimed.Precision, rep.PairwiseClaimed.Recall, rep.PairwiseClaimed.F1)
			e := rep.PairErrors
			a.Printf("pairs: %d together in Airwars; %d merged wrongly; %d split (%d with a text giving no claim, %d linked as possible duplicates, %d unlinked)\n",
				e.GoldPairs, e.Merged, e.Split, e.SplitNoClaim, e.SplitLinked, e.SplitUnlinked)
			for _, sc := range []string{airwars.ScriptLatin, airwars.ScriptArabic} {
				s := rep.Scripts[sc]
				a.Printf("%s texts (%d, %d without claims): pairwise F1 %.3f (P %.3f R %.3f), B-cubed F1 %.3f, with links F1 %.3f; %d gold pairs, %d merged, %d split\n",
					sc, s.Used, s.NoClaims, s.Pairwise.F1, s.Pairwise.Precision, s.Pairwise.Recall, s.BCubed.F1, s.PairwiseWithLinks.F1,
					s.PairErrors.GoldPairs, s.PairErrors.Merged, s.PairErrors.Split)
			}
			for f, s := range rep.Folds {
				a.Printf("fold %d (%d texts): pairwise F1 %.3f (P %.3f R %.3f), B-cubed F1 %.3f; %d gold pairs, %d merged, %d split (%d no claim, %d linked, %d unlinked)\n",
					f, s.Used, s.Pairwise.F1, s.Pairwise.Precision, s.Pairwise.Recall, s.BCubed.F1,
					s.PairErrors.GoldPairs, s.PairErrors.Merged, s.PairErrors.Split, s.PairErrors.SplitNoClaim, s.PairErrors.SplitLinked, s.PairErrors.SplitUnlinked)
			}
			a.Printf("gold pairs by first cause (together in vigil):")
			for _, c := range []string{airwars.CauseNoClaim, airwars.CauseNoDate, airwars.CauseOtherGov, airwars.CauseOtherTown, airwars.CauseNearby,
				airwars.CauseNoPlace, airwars.CauseDatesApart, airwars.CauseContains, airwars.CauseWideDate, airwars.CauseSamePlaceDay} {
				if pc := rep.GoldPairCauses[c]; pc != nil {
					a.Printf(" %s %d (%d);", c, pc.GoldPairs, pc.Together)
				}
			}
			a.Printf("\n")
			a.Printf("killed range overlaps Airwars' in %d of %d incidents compared (%.1f%%)\n",
				rep.KilledRangeOverlap.Overlapping, rep.KilledRangeOverlap.Compared, 100*rep.KilledRangeOverlap.Share)
			a.Printf("%s\n", fmt.Sprintf("took %s", rep.Elapsed.Round(1e6)))
			return nil
		}),
	}
	cmd.Flags().StringVar(&dir, "airwars", "", "directory of the Airwars data (texts JSONL, incidents and sources CSV)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the scores as JSON")
	cmd.Flags().StringVar(&cfgPath, "config", "", "resolution configuration (JSON)")
	cmd.Flags().StringVar(&gazDir, "gazetteer", "", "folder of OCHA and GeoNames files (default $VIGIL_SHARED/data/gazetteer), or builtin for the built-in gazetteer alone")
	cmd.Flags().BoolVar(&latinOnly, "latin-only", false, "leave out the Arabic texts as not_latin (the evaluation before Arabic was read)")
	return cmd
}
