package extract

import vigil "github.com/vigil-rec/vigil"

// Named reads a short phrase with the extractor's lexicon and returns what
// it names, with no roles: the actors (keys, in order of mention, each
// once) and the kind of its strongest event word (EventUnknown when it has
// none). "Syrian regime and Russian" names syrian_government and russia;
// "barrel bombs" an air strike. Evaluations use it to read annotators'
// marks in vigil's own terms.
func (x *Extractor) Named(phrase string) (keys []string, kind vigil.EventType) {
	d := x.analyse(phrase, nil)
	seen := map[string]bool{}
	for _, m := range d.actors {
		if k := actors[m.actor].Key; !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	kind, best := vigil.EventUnknown, 0
	for _, in := range d.sinfo {
		if in.trigType >= 0 && in.trigWeight > best {
			kind, best = eventTypes[in.trigType], in.trigWeight
		}
	}
	return keys, kind
}
