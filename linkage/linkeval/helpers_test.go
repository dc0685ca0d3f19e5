package linkeval

import "github.com/vigil-rec/vigil/linkage"

func metricsAt(r *Result, ds *Dataset, th float64) linkage.Metrics {
	w := r.Scorer.WeightFor(th)
	lab := r.Scorer.ClusterAverage(r.Edges, w, linkage.DefaultMinAverage, linkage.ClusterOptions{OneToOne: ds.OneToOne})
	src := make([]int32, ds.Data.Len())
	for i := range src {
		src[i] = int32(ds.Data.Source(i))
	}
	return linkage.PairMetrics(lab, ds.Truth, src, ds.Settings.Cross)
}
