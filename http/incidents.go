package http

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/review"
)

// MaxBodyBytes caps JSON request bodies.
const MaxBodyBytes = 1 << 20

func (s *Server) registerIncidentRoutes() {
	s.mux.HandleFunc("GET /api/v1/incidents", s.handleIncidentList)
	s.mux.HandleFunc("GET /api/v1/incidents/{id}", s.handleIncidentGet)
	s.mux.HandleFunc("PATCH /api/v1/incidents/{id}", s.handleIncidentCorrect)
	s.mux.HandleFunc("POST /api/v1/incidents/{id}/grade", s.handleIncidentGrade)
	s.mux.HandleFunc("POST /api/v1/incidents/{id}/review", s.handleIncidentReview)
	s.mux.HandleFunc("POST /api/v1/incidents/{id}/publish", s.handleIncidentPublish)
	s.mux.HandleFunc("POST /api/v1/incidents/{id}/merge", s.handleIncidentMerge)
	s.mux.HandleFunc("POST /api/v1/incidents/{id}/split", s.handleIncidentSplit)
}

// decode reads a JSON body strictly, naming the field at fault: one JSON
// value of at most MaxBodyBytes, no unknown fields, nothing after it.
func decode(r *http.Request, v any) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
	if err != nil {
		return vigil.FieldErrorf(vigil.EINVALID, "body", "reading the body: %v", err)
	}
	return decodeBytes(body, v)
}

func decodeBytes(body []byte, v any) error {
	if len(body) > MaxBodyBytes {
		return vigil.FieldErrorf(vigil.EINVALID, "body", "body larger than %d bytes", MaxBodyBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if ok := asTypeError(err, &te); ok {
			field := te.Field
			if field == "" {
				field = "body"
			}
			return vigil.FieldErrorf(vigil.EINVALID, field, "want a %s", te.Type)
		}
		return vigil.FieldErrorf(vigil.EINVALID, "body", "malformed JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return vigil.FieldErrorf(vigil.EINVALID, "body", "malformed JSON: more after the first value")
	}
	return nil
}

func asTypeError(err error, te **json.UnmarshalTypeError) bool {
	t, ok := err.(*json.UnmarshalTypeError)
	if ok {
		*te = t
	}
	return ok
}

func (s *Server) incidentService(w http.ResponseWriter, r *http.Request) (*review.Service, *vigil.User, bool) {
	if s.Incidents == nil {
		s.Error(w, r, vigil.Errorf(vigil.ENOTFOUND, "incidents are not served here"))
		return nil, nil, false
	}
	u, err := s.user(r)
	if err != nil {
		s.Error(w, r, err)
		return nil, nil, false
	}
	return s.Incidents, u, true
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, vigil.FieldErrorf(vigil.EINVALID, "id", "want an incident id")
	}
	return id, nil
}

// IncidentFilterFromQuery reads the incident filters shared by the API, the
// web pages and the exports.
func IncidentFilterFromQuery(r *http.Request) (vigil.IncidentFilter, error) {
	q := r.URL.Query()
	var f vigil.IncidentFilter
	var err error
	if f.Offset, err = intParam(r, "offset", 0, 0); err != nil {
		return f, err
	}
	if f.Limit, err = intParam(r, "limit", vigil.DefaultPageSize, vigil.MaxPageSize); err != nil {
		return f, err
	}
	return f, IncidentFilterFields(q, &f)
}

// IncidentFilterFields reads the incident filters other than paging (from,
// to, type, governorate, pcode, perpetrator, grade, state, facility,
// children, q) into f: one reading for the API, the exports and the web
// pages, which each read their own offset and limit.
func IncidentFilterFields(q url.Values, f *vigil.IncidentFilter) error {
	for name, dst := range map[string]**time.Time{"from": &f.From, "to": &f.To} {
		if v := q.Get(name); v != "" {
			t, err := time.Parse("2006-01-02", v)
			if err != nil {
				return vigil.FieldErrorf(vigil.EINVALID, name, "want a date YYYY-MM-DD, got %q", clip(v))
			}
			*dst = &t
		}
	}
	f.EventType = vigil.EventType(q.Get("type"))
	if f.EventType != "" && !f.EventType.Valid() {
		return vigil.FieldErrorf(vigil.EINVALID, "type", "unknown event type %q", clip(q.Get("type")))
	}
	f.Governorate, f.PCode, f.Perpetrator = q.Get("governorate"), q.Get("pcode"), q.Get("perpetrator")
	f.Grade, f.Review, f.FacilityType = vigil.Grade(q.Get("grade")), vigil.ReviewState(q.Get("state")), vigil.FacilityType(q.Get("facility"))
	f.HasChildren = q.Get("children") == "1" || q.Get("children") == "true"
	if f.Query = q.Get("q"); len(f.Query) > 1000 {
		return vigil.FieldErrorf(vigil.EINVALID, "q", "query longer than 1000 bytes")
	}
	return nil
}

func (s *Server) handleIncidentList(w http.ResponseWriter, r *http.Request) {
	svc, u, ok := s.incidentService(w, r)
	if !ok {
		return
	}
	f, err := IncidentFilterFromQuery(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	list, total, err := svc.List(r.Context(), u, f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"incidents": list, "total": total, "offset": f.Offset, "limit": f.Limit})
}

func (s *Server) handleIncidentGet(w http.ResponseWriter, r *http.Request) {
	svc, u, ok := s.incidentService(w, r)
	if !ok {
		return
	}
	id, err := pathID(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d, err := svc.Show(r.Context(), u, id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// mutation runs one incident change with a decoded body.
func mutation[T any](s *Server, w http.ResponseWriter, r *http.Request, do func(svc *review.Service, u *vigil.User, id int64, body *T) (any, error)) {
	svc, u, ok := s.incidentService(w, r)
	if !ok {
		return
	}
	id, err := pathID(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	var body T
	if err := decode(r, &body); err != nil {
		s.Error(w, r, err)
		return
	}
	out, err := do(svc, u, id, &body)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

type gradeBody struct {
	Grade  vigil.Grade `json:"grade"`
	Reason string      `json:"reason"`
}

func (s *Server) handleIncidentGrade(w http.ResponseWriter, r *http.Request) {
	mutation(s, w, r, func(svc *review.Service, u *vigil.User, id int64, b *gradeBody) (any, error) {
		return svc.Grade(r.Context(), u, id, b.Grade, b.Reason)
	})
}

type reviewBody struct {
	State  vigil.ReviewState `json:"state"`
	Reason string            `json:"reason"`
}

func (s *Server) handleIncidentReview(w http.ResponseWriter, r *http.Request) {
	mutation(s, w, r, func(svc *review.Service, u *vigil.User, id int64, b *reviewBody) (any, error) {
		return svc.Transition(r.Context(), u, id, b.State, b.Reason)
	})
}

type reasonBody struct {
	Reason string `json:"reason"`
}

func (s *Server) handleIncidentPublish(w http.ResponseWriter, r *http.Request) {
	mutation(s, w, r, func(svc *review.Service, u *vigil.User, id int64, b *reasonBody) (any, error) {
		return svc.Transition(r.Context(), u, id, vigil.ReviewPublished, b.Reason)
	})
}

type mergeBody struct {
	Incidents []int64 `json:"incidents"`
	Reason    string  `json:"reason"`
}

func (s *Server) handleIncidentMerge(w http.ResponseWriter, r *http.Request) {
	mutation(s, w, r, func(svc *review.Service, u *vigil.User, id int64, b *mergeBody) (any, error) {
		return svc.Merge(r.Context(), u, id, b.Incidents, b.Reason)
	})
}

type splitBody struct {
	Claims []int64 `json:"claims"`
	Reason string  `json:"reason"`
}

func (s *Server) handleIncidentSplit(w http.ResponseWriter, r *http.Request) {
	mutation(s, w, r, func(svc *review.Service, u *vigil.User, id int64, b *splitBody) (any, error) {
		kept, split, err := svc.Split(r.Context(), u, id, b.Claims, b.Reason)
		if err != nil {
			return nil, err
		}
		return map[string]any{"kept": kept, "split": split}, nil
	})
}

type correctBody struct {
	review.Correction
	Reason string `json:"reason"`
}

func (s *Server) handleIncidentCorrect(w http.ResponseWriter, r *http.Request) {
	mutation(s, w, r, func(svc *review.Service, u *vigil.User, id int64, b *correctBody) (any, error) {
		return svc.Correct(r.Context(), u, id, b.Correction, b.Reason)
	})
}
