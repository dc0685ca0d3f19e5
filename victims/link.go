package victims

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"time"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/linkage"
)

// LinkOptions configure a linkage run over stored victim lists.
type LinkOptions struct {
	Lists     []string // lists to link; all when empty
	Threshold float64  // match probability of a candidate link (default linkage.DefaultThreshold)
	// MinAverage is the mean match probability over all pairs across two
	// groups of records needed to join them (average linkage; default
	// linkage.DefaultMinAverage); negative: connected components of the
	// candidate links.
	MinAverage float64
	// Pairs with a match probability in [ReviewLow, ReviewHigh) go to the
	// clerical review queue (defaults 0.3 and 0.99), at most MaxQueue of
	// them (default 2000), most uncertain first.
	ReviewLow, ReviewHigh float64
	MaxQueue              int
	OneToOne              bool // at most one record per list in a person
	Progress              func(stage string, done, total int64)
}

func (o *LinkOptions) defaults() {
	if o.Threshold == 0 {
		o.Threshold = linkage.DefaultThreshold
	}
	if o.MinAverage == 0 {
		o.MinAverage = linkage.DefaultMinAverage
	}
	if o.ReviewLow == 0 {
		o.ReviewLow = 0.3
	}
	if o.ReviewHigh == 0 {
		o.ReviewHigh = 0.99
	}
	if o.MaxQueue == 0 {
		o.MaxQueue = 2000
	}
}

// Link trains the model on the stored records, scores candidate pairs,
// clusters them into persons (respecting reviewers' decisions), keeps
// person ids stable across runs and stores the run and its review queue.
func Link(ctx context.Context, svc vigil.VictimService, opt LinkOptions) (*vigil.LinkRun, error) {
	opt.defaults()
	if opt.Threshold <= 0 || opt.Threshold >= 1 {
		return nil, vigil.FieldErrorf(vigil.EINVALID, "threshold", "a probability strictly between 0 and 1, got %v", opt.Threshold)
	}
	run := &vigil.LinkRun{StartedAt: time.Now().UTC(), Threshold: opt.Threshold}
	all, _, err := svc.FindVictimRecords(ctx, vigil.VictimFilter{})
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, l := range opt.Lists {
		want[l] = true
	}
	if len(opt.Lists) > 0 {
		lists, err := svc.FindVictimLists(ctx)
		if err != nil {
			return nil, err
		}
		have := map[string]bool{}
		for _, l := range lists {
			have[l.Name] = true
		}
		for _, l := range opt.Lists {
			if !have[l] {
				return nil, vigil.FieldErrorf(vigil.ENOTFOUND, "--lists", "no victim list %q", l)
			}
		}
	}
	var existing []string
	var recs []*vigil.VictimRecord
	listIndex := map[string]int{}
	for _, r := range all {
		if r.PersonID != "" {
			existing = append(existing, r.PersonID)
		}
		if len(want) > 0 && !want[r.List] {
			continue
		}
		recs = append(recs, r)
		if _, ok := listIndex[r.List]; !ok {
			listIndex[r.List] = len(listIndex)
			run.Lists = append(run.Lists, r.List)
		}
	}
	sort.Strings(run.Lists)
	run.Records = len(recs)
	if len(recs) == 0 {
		return nil, vigil.Errorf(vigil.EINVALID, "no victim records to link; import a list first")
	}
	b, err := linkage.NewBuilder(Fields)
	if err != nil {
		return nil, err
	}
	index := map[int64]int32{}
	for i, r := range recs {
		index[r.ID] = int32(i)
		if err := b.Add(fmt.Sprint(r.ID), listIndex[r.List], Values(r)...); err != nil {
			return nil, err
		}
	}
	d := b.Data()
	s := Settings()
	s.Progress = opt.Progress
	var edges []linkage.Edge
	var sc *linkage.Scorer
	var params *linkage.Params
	if len(recs) >= 2 {
		params, err = linkage.Train(ctx, d, s)
		if err != nil {
			return nil, err
		}
		sc = linkage.NewScorer(d, params)
		var st linkage.PredictStats
		edges, st, err = linkage.Predict(ctx, sc, s, sc.WeightFor(math.Min(opt.ReviewLow, opt.Threshold)))
		if err != nil {
			return nil, err
		}
		run.Comparisons = st.Comparisons
	}
	decisions, err := svc.PairDecisions(ctx)
	if err != nil {
		return nil, err
	}
	var copt linkage.ClusterOptions
	copt.OneToOne = opt.OneToOne
	decided := map[[2]int64]bool{}
	for _, x := range decisions {
		decided[[2]int64{x.A, x.B}] = true
		ia, okA := index[x.A]
		ib, okB := index[x.B]
		if !okA || !okB {
			continue
		}
		if x.Match {
			copt.Must = append(copt.Must, [2]int32{ia, ib})
		} else {
			copt.Cannot = append(copt.Cannot, [2]int32{ia, ib})
		}
	}
	minW := float32(math.Inf(1))
	if sc != nil {
		minW = sc.WeightFor(opt.Threshold)
	}
	var labels []int32
	if sc != nil && opt.MinAverage > 0 {
		labels = sc.ClusterAverage(edges, minW, opt.MinAverage, copt)
	} else {
		labels = linkage.Cluster(d, edges, minW, copt)
	}
	prev := make([]string, len(recs))
	for i, r := range recs {
		prev[i] = r.PersonID
	}
	ids := linkage.StableIDs(labels, prev, linkage.Counter("P", existing))
	persons := make(map[int64]string, len(recs))
	seen := map[string]bool{}
	for i, r := range recs {
		persons[r.ID] = ids[i]
		seen[ids[i]] = true
	}
	run.Persons = len(seen)

	var queue []*vigil.ReviewPair
	if sc != nil {
		for _, e := range edges {
			p := sc.Probability(e.W)
			if p < opt.ReviewLow || p >= opt.ReviewHigh {
				continue
			}
			a, bb := recs[e.A].ID, recs[e.B].ID
			if a > bb {
				a, bb = bb, a
			}
			if decided[[2]int64{a, bb}] {
				continue
			}
			queue = append(queue, &vigil.ReviewPair{A: a, B: bb, Weight: float64(e.W), Probability: p})
		}
		sort.SliceStable(queue, func(i, j int) bool {
			return math.Abs(queue[i].Probability-0.5) < math.Abs(queue[j].Probability-0.5)
		})
		if len(queue) > opt.MaxQueue {
			queue = queue[:opt.MaxQueue]
		}
		for _, q := range queue {
			ex := sc.Explain(int(index[q.A]), int(index[q.B]))
			q.Explanation, _ = json.Marshal(ex)
		}
		run.Model, _ = json.Marshal(params)
	}
	run.FinishedAt = time.Now().UTC()
	if err := svc.SaveLinkRun(ctx, run, persons, queue); err != nil {
		return nil, err
	}
	return run, nil
}
