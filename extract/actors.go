package extract

import "strings"

// actorMention is an actor named in the text and its role there.
type actorMention struct {
	from, to int
	actor    int
	agent    bool // named as the one who struck
	target   bool // named as the one struck, or whose fighters died
	denied   bool
	hedge    int
	sent     int
}

// findActors reads who the text says struck. An actor is an alleged
// perpetrator only in an agent role: before the trigger ("a Russian or Assad
// regime strike"), after "by" ("fired by government forces"), as the
// subject of a striking verb ("regime forces shelled"), claiming or blamed.
// Actors named as targets or as the dead ("29 rebels were killed") are not.
func (d *doc) findActors() {
	n := len(d.toks)
	for i := 0; i < n; i++ {
		if d.covered[i]&covOrg != 0 {
			continue
		}
		e, end := d.find(i, clsActor)
		if e == nil {
			if e2, end2 := d.find(i, clsActorAdj); e2 != nil && (d.has(end2, clsMilitary) || d.has(end2, clsEvent)) {
				e, end = e2, end2
			} else {
				continue
			}
		}
		m := actorMention{from: i, to: end, actor: e.val, sent: int(d.sentOf[i])}
		if d.anyAR && d.ar[m.sent] {
			d.actorRoleAR(&m)
		} else {
			d.actorRole(&m)
		}
		d.actors = append(d.actors, m)
		i = end - 1
	}
	// Coordinated actors share an agent role: "a Russian or Assad regime
	// strike", "Russian and Syrian regime aircraft".
	for pass := 0; pass < 2; pass++ {
		for ai := 0; ai+1 < len(d.actors); ai++ {
			a, b := &d.actors[ai], &d.actors[ai+1]
			if a.sent != b.sent || b.from-a.to > 2 {
				continue
			}
			gap := d.tokensBetween(a.to, b.from)
			if gap != "or" && gap != "and" && gap != "," && gap != "and the" && gap != "or the" && gap != "and its" {
				continue
			}
			if a.agent != b.agent && !a.target && !b.target {
				a.agent, b.agent = true, true
				if a.hedge == 0 {
					a.hedge = b.hedge
				}
				if b.hedge == 0 {
					b.hedge = a.hedge
				}
			}
			if a.denied != b.denied && (a.denied || b.denied) && !a.agent && !b.agent {
				a.denied, b.denied = true, true
			}
		}
	}
}

func (d *doc) actorRole(m *actorMention) {
	n := len(d.toks)
	sfrom, sto := d.sentBounds(m.from)
	// Victims: "Nusra Front fighters were killed", "29 Syrian rebels".
	for _, f := range d.figs {
		if !f.dead && m.from >= f.from && m.to <= f.to {
			m.target = true
			return
		}
	}
	if d.has(m.to, clsCategory) {
		_, e := d.find(m.to, clsCategory)
		k := e
		for hops := 0; hops < 3 && k < sto; hops++ {
			if ae, aend := d.find(k, clsAux); ae != nil {
				k = aend
				continue
			}
			break
		}
		if d.has(k, clsKill) || d.has(k, clsInjure) {
			m.target = true
			return
		}
	}
	// Targets: "against IS", "on IS-held villages", "IS-held", "targeting rebels".
	if d.isWord(m.to, "held", "controlled", "run", "besieged", "dominated") && d.toks[m.to].is(flagJoined) {
		m.target = true
		return
	}
	for k := m.from - 1; k >= sfrom && k >= m.from-3; k-- {
		if d.isWord(k, "with") && d.isWord(k-1, "clashes", "clash", "fighting", "battles", "clashed", "fought", "confrontations") && d.killedBefore(sfrom, k) {
			// "29 rebels were killed in clashes with regime troops": the
			// other side killed them.
			m.agent = true
			break
		}
		if d.isWord(k, "against", "targeting", "on", "targeted", "fighting", "with", "between", "versus", "repel", "repelled") {
			m.target = true
			break
		}
		if !d.isWord(k, "the", "a", "an", "positions", "of", "bases", "its", "their") {
			break
		}
	}
	// Hedges in the sentence before the actor.
	for k := m.from - 1; k >= sfrom && k >= m.from-10; k-- {
		if e, _ := d.find(k, clsHedge); e != nil {
			if e.val == hedgeSuspected || e.val == hedgeBlamed {
				m.hedge = e.val
				if e.val == hedgeBlamed {
					m.agent = true
				}
			}
			if e.val == hedgeClaimed && (d.isWord(k+1, "by") || e.canon == "claimed by") {
				m.hedge, m.agent = hedgeClaimed, true
			}
			break
		}
	}
	// Agent after "by" / "carried out by" / "fired by" / "from" (a bomber from X).
	k := m.from - 1
	for k >= sfrom && (d.isWord(k, "the", "a", "an", "its", "suspected", "alleged") || (d.toks[k].is(flagPossess) && d.toks[k].is(flagCap))) {
		k--
	}
	if k >= sfrom {
		if e, s := d.findEnding(k+1, clsAgent); e != nil && !d.isWord(s-1, "held", "controlled", "besieged", "captured", "surrounded", "run", "backed", "supported") &&
			(e.canon != "by" || d.violentBefore(s-1)) {
			if e.canon != "from" || (s > sfrom && (d.has(s-1, clsEvent) || d.isWord(s-1, "bomber", "bombers", "attacker", "gunmen", "jets", "warplanes", "aircraft", "helicopters"))) {
				if !m.target || e.canon == "by" {
					m.agent, m.target = true, false
				}
			}
		}
	}
	// The actor's own phrase names the attack: "Russian airstrikes destroy
	// ...", "government air strikes".
	if !m.target && m.to-m.from > 1 && d.has(m.to-1, clsEvent) {
		m.agent = true
	}
	// Before the trigger: "Russian or Assad regime strike", "coalition air strikes".
	k = m.to
	for hops := 0; hops < 4 && k < sto; hops++ {
		if d.has(k, clsEvent) {
			// ... but not of an earlier event the sentence answers or
			// follows ("days after a deadly Assad regime chemical attack").
			if !m.target && !d.answered(m.sent, k) {
				m.agent = true
			}
			break
		}
		if e, end := d.find(k, clsActor); e != nil {
			k = end
			continue
		}
		if e, end := d.find(k, clsActorAdj); e != nil {
			k = end
			continue
		}
		if e, end := d.find(k, clsMilitary); e != nil {
			k = end
			continue
		}
		if d.isWord(k, "or", "and", "led", "backed", "allied", "forces", "'", "s", "air", "its", "military", "army", "troops") {
			k++
			continue
		}
		break
	}
	// Subject of a striking verb: "regime forces shelled", "IS claimed".
	k = m.to
	for hops := 0; hops < 5 && k < sto; hops++ {
		if e, end := d.find(k, clsHedge); e != nil {
			switch e.val {
			case hedgeClaimed:
				m.agent, m.hedge, m.target = true, hedgeClaimed, false
				return
			case hedgeDenied:
				if !d.isWord(k-1, "not") {
					m.denied = true
				}
				return
			}
			k = end
			continue
		}
		if e, end := d.find(k, clsStrikeVerb); e != nil {
			// "... forces killed 25" and "X hit the town" make X the agent,
			// but a passive "X were killed" does not.
			if !d.isWord(k-1, "were", "was", "been", "be") && !m.target {
				m.agent = true
			}
			_ = end
			break
		}
		if e, end := d.find(k, clsMilitary); e != nil {
			k = end
			continue
		}
		if e, end := d.find(k, clsAux); e != nil {
			if d.isWord(k, "was", "were", "been") {
				break
			}
			k = end
			continue
		}
		if d.isWord(k, "which", "who", "that", ",", "forces", "troops", "and", "its", "allies", "jets", "warplanes", "aircraft", "group", "militants", "fighters", "jihadists", "also", "has", "have", "had",
			"terrorists", "terrorist", "terror", "elements", "militia", "militias", "gunmen", "insurgents", "extremists", "units", "organization", "organisation") {
			k++
			continue
		}
		break
	}
	_ = n
}

// killedBefore reports whether a killing word occurs in tokens [from, to).
func (d *doc) killedBefore(from, to int) bool {
	for k := from; k < to; k++ {
		if d.has(k, clsKill) {
			return true
		}
	}
	return false
}

// violentBefore reports whether "by" after the word at i can introduce who
// struck: not after words of agreement, backing, reporting or statement ("a
// truce established by Turkey and Russia", "a plea by the US", "a video
// published by IS").
func (d *doc) violentBefore(i int) bool {
	if i < 0 {
		return false
	}
	// An adverb between: "backed militarily by Russia".
	if t := &d.toks[i]; t.kind == tokWord && strings.HasSuffix(t.norm, "ly") && i > 0 && !d.violentBefore(i-1) {
		return false
	}
	return !d.isWord(i, "established", "brokered", "agreed", "backed", "supported", "mediated", "sponsored", "led",
		"declared", "announced", "issued", "published", "posted", "released", "reported", "monitored", "condemned",
		"appalled", "complicated", "dominated", "founded", "formed", "organised", "organized", "negotiated", "signed",
		"proposed", "accepted", "rejected", "requested", "chaired", "hosted", "funded", "trained", "recognised",
		"recognized", "welcomed", "criticised", "criticized", "described", "called", "named", "known", "plea",
		"announcement", "statement", "report", "decision", "deal", "agreement", "proposal", "call", "request",
		"investigation", "visit", "speech", "interview", "accompanied", "joined", "followed", "replaced", "guaranteed",
		"observed", "documented", "confirmed", "denied", "claimed", "quoted", "cited", "shared", "filmed", "funded",
		"employed", "appointed", "elected", "governed", "administered", "ruled", "owned", "operated", "managed", "which")
}
