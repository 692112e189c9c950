package results

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
)

// RunIDLength is the number of hex digits of a RunID.
const RunIDLength = 16

// RunID is the stable identity of a result: the first 16 hex digits of the
// SHA-256 of its canonical JSON. The canonical JSON is result.json's
// encoding with object keys sorted and with empty values left out (null,
// false, "", zero numbers, empty objects and arrays; array elements keep
// their places), so reading the same result.json again gives the same id,
// and a field added to Result in a later version does not change the ids
// of results that lack it. Non-finite numbers, which JSON cannot hold,
// count as zero.
func RunID(res *Result) string {
	if res == nil {
		return ""
	}
	b, err := json.Marshal(finiteResult(*res))
	if err != nil {
		// Only an unsupported value can fail; fall back to Go syntax so
		// that the id is still stable within one version.
		b = []byte(fmt.Sprintf("%#v", finiteResult(*res)))
	} else if c, err := canonicalJSON(b); err == nil {
		b = c
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])[:RunIDLength]
}

// canonicalJSON re-encodes JSON with sorted keys and empty values dropped;
// numbers keep their text.
func canonicalJSON(b []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	v, _ = prune(v)
	return json.Marshal(v)
}

// prune drops empty values from objects; keep reports whether v itself is
// non-empty.
func prune(v any) (out any, keep bool) {
	switch x := v.(type) {
	case nil:
		return nil, false
	case bool:
		return x, x
	case string:
		return x, x != ""
	case json.Number:
		f, err := x.Float64()
		return x, err != nil || f != 0
	case map[string]any:
		for k, e := range x {
			if p, ok := prune(e); ok {
				x[k] = p
			} else {
				delete(x, k)
			}
		}
		return x, len(x) > 0
	case []any:
		for i, e := range x {
			x[i], _ = prune(e)
		}
		return x, len(x) > 0
	}
	return v, true
}

// finiteResult is a copy of r with its non-finite numbers set to zero.
func finiteResult(r Result) Result {
	for _, p := range []*float64{&r.Dt, &r.TPresim, &r.TSim, &r.TimeConstructionLoad, &r.TimePresimulate,
		&r.TimeSimulate, &r.RealTimeFactor, &r.BytesPerSynapse, &r.InputResolution} {
		finite(p)
	}
	r.Rates = append([]PopulationRate(nil), r.Rates...)
	for i := range r.Rates {
		finite(&r.Rates[i].Rate)
	}
	r.Plastic = append([]PlasticWeights(nil), r.Plastic...)
	for i := range r.Plastic {
		k := &r.Plastic[i]
		for _, p := range []*float64{&k.MeanWeight, &k.MinWeight, &k.MaxWeight} {
			finite(p)
		}
	}
	r.MapQuality = append([]MapQuality(nil), r.MapQuality...)
	for i := range r.MapQuality {
		for _, f := range r.MapQuality[i].fields() {
			if *f.p != nil && !isFinite(**f.p) {
				*f.p = nil // absent, as zero would be in the canonical JSON
			}
		}
	}
	r.RankResults = append([]Rank(nil), r.RankResults...)
	for i := range r.RankResults {
		k := &r.RankResults[i]
		for _, p := range []*float64{&k.TimeConstructionLoad, &k.TimePresimulate, &k.TimeSimulate, &k.TimeUpdate,
			&k.TimeDeliver, &k.TimeCommunicate, &k.TimeRecord, &k.RealTimeFactor, &k.BytesPerSynapse} {
			finite(p)
		}
	}
	return r
}

func finite(p *float64) {
	if !isFinite(*p) {
		*p = 0
	}
}
