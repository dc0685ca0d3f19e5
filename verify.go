package vigil

import (
	"context"
	"fmt"
)

// VerifyReport is the outcome of a whole-store verification.
type VerifyReport struct {
	Documents     int       `json:"documents"`
	Blobs         int       `json:"blobs_checked"`
	CustodyEvents int       `json:"custody_events"`
	AuditEntries  int       `json:"audit_entries"`
	Problems      []Problem `json:"problems"`
	OK            bool      `json:"ok"`
}

// Verify re-hashes every blob, checks that every document's bytes are in the
// blob store, and checks the custody and audit chains. It names every problem.
func Verify(ctx context.Context, docs Store, blobs BlobStore) (*VerifyReport, error) {
	rep := &VerifyReport{Problems: []Problem{}}
	bp, err := blobs.Verify(ctx)
	if err != nil {
		return nil, fmt.Errorf("verify blobs: %w", err)
	}
	rep.Problems = append(rep.Problems, bp...)
	for offset := 0; ; {
		page, total, err := docs.FindDocuments(ctx, DocumentFilter{Offset: offset, Limit: MaxPageSize})
		if err != nil {
			return nil, err
		}
		rep.Documents = total
		for _, d := range page {
			ok, err := blobs.Has(ctx, d.SHA256)
			if err != nil {
				return nil, err
			}
			if !ok {
				rep.Problems = append(rep.Problems, Problem{Where: fmt.Sprintf("document %d", d.ID), Message: "original bytes " + d.SHA256 + " are missing from the blob store"})
				continue
			}
			rep.Blobs++
		}
		offset += len(page)
		if len(page) == 0 || offset >= total {
			break
		}
	}
	cp, n, err := docs.VerifyCustody(ctx)
	if err != nil {
		return nil, fmt.Errorf("verify custody: %w", err)
	}
	rep.CustodyEvents = n
	rep.Problems = append(rep.Problems, cp...)
	ap, n, err := docs.VerifyAudit(ctx)
	if err != nil {
		return nil, fmt.Errorf("verify audit log: %w", err)
	}
	rep.AuditEntries = n
	rep.Problems = append(rep.Problems, ap...)
	rep.OK = len(rep.Problems) == 0
	return rep, nil
}
