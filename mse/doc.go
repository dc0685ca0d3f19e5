// Package mse implements multiple systems estimation (MSE, also called
// capture–recapture): from the way several incomplete lists of victims
// overlap, it estimates how many victims no list recorded.
//
// The input is a capture-history Table: for every pattern of lists
// (which lists recorded a person) the number of people with that pattern.
// Tables are read from CSV with ReadTable (one 0/1 column per list plus a
// "count" column) or built in code with NewTable.
//
// Estimators, each usable on its own:
//
//   - TwoList: Lincoln–Petersen and Chapman for a pair of lists.
//   - FitLogLinear / SearchHierarchical: Poisson log-linear models over
//     hierarchical interaction sets (Fienberg 1972), with AIC/BIC selection,
//     standard errors, profile-likelihood intervals and the existence /
//     identifiability check of Chan, Silverman & Vincent (2019).
//   - Stepwise: SparseMSE-style stepwise selection of pairwise terms.
//   - ClosedPT: the fixed heterogeneity models (M0, Mt, Mh, Mth) of Rcapture's
//     closedp.t.
//   - BMA: Bayesian model averaging over decomposable graphical models
//     (Madigan & York 1997; the method of the dga package).
//   - LCMCR: the Bayesian non-parametric latent-class model of
//     Manrique-Vallier (2016), a Gibbs sampler with several chains run in
//     parallel, R-hat and effective sample size.
//
// Estimate runs a selection of them on one table and returns a Report that
// marshals to JSON with stable snake_case field names; every number carries
// the method and the model that produced it, and warnings are written in
// plain language.
//
// The code was written from the published algorithms (see docs/mse.md),
// not from the GPL reference implementations.
package mse
