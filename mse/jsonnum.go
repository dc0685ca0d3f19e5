package mse

import (
	"encoding/json"
	"math"
	"strconv"
)

// Num is a float64 that marshals to JSON null when it is not finite
// (an infinite Lincoln–Petersen estimate, an R-hat that cannot be computed).
type Num float64

// MarshalJSON implements json.Marshaler.
func (x Num) MarshalJSON() ([]byte, error) {
	f := float64(x)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

// The MarshalJSON methods below override the fields that can be infinite
// or NaN with Num (a shallower field of the same JSON name wins).

// MarshalJSON implements json.Marshaler.
func (i Interval) MarshalJSON() ([]byte, error) {
	type plain Interval
	return json.Marshal(struct {
		plain
		Lower Num `json:"lower"`
		Upper Num `json:"upper"`
	}{plain(i), Num(i.Lower), Num(i.Upper)})
}

// MarshalJSON implements json.Marshaler.
func (r Result) MarshalJSON() ([]byte, error) {
	type plain Result
	return json.Marshal(struct {
		plain
		Total        Num `json:"total"`
		Undocumented Num `json:"undocumented"`
		SE           Num `json:"se,omitempty"`
	}{plain(r), Num(r.Total), Num(r.Undocumented), Num(r.SE)})
}

// MarshalJSON implements json.Marshaler.
func (r TwoListResult) MarshalJSON() ([]byte, error) {
	type plain TwoListResult
	return json.Marshal(struct {
		plain
		LP   Num `json:"lincoln_petersen"`
		LPSE Num `json:"lincoln_petersen_se"`
	}{plain(r), Num(r.LincolnPetersen), Num(r.LincolnPetersenSE)})
}

// MarshalJSON implements json.Marshaler.
func (r LCMCRResult) MarshalJSON() ([]byte, error) {
	type plain LCMCRResult
	return json.Marshal(struct {
		plain
		RHat Num `json:"r_hat"`
		ESS  Num `json:"ess"`
	}{plain(r), Num(r.RHat), Num(r.ESS)})
}

// MarshalJSON implements json.Marshaler.
func (f LogLinearFit) MarshalJSON() ([]byte, error) {
	type plain LogLinearFit
	return json.Marshal(struct {
		plain
		Unobserved Num `json:"unobserved"`
		Total      Num `json:"total"`
		SE         Num `json:"se"`
		Lower      Num `json:"lognormal_lower"`
		Upper      Num `json:"lognormal_upper"`
		Deviance   Num `json:"deviance"`
		LogLik     Num `json:"loglik"`
		AIC        Num `json:"aic"`
		BIC        Num `json:"bic"`
	}{plain(f), Num(f.Unobserved), Num(f.Total), Num(f.SE), Num(f.LogNormalLower), Num(f.LogNormalUpper),
		Num(f.Deviance), Num(f.LogLik), Num(f.AIC), Num(f.BIC)})
}
