package raming

// CaseIDs are the ids of every case of the result, variant by variant.
func (r *Result) CaseIDs() []string {
	var ids []string
	for _, v := range r.Variants {
		for _, c := range v.Cases {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

// VariantOf returns the variant the case with the given id belongs to, or
// nil.
func (r *Result) VariantOf(caseID string) *Variant {
	for i, v := range r.Variants {
		for _, c := range v.Cases {
			if c.ID == caseID {
				return &r.Variants[i]
			}
		}
	}
	return nil
}

// PerRecordCase returns the case computed record by record (variant B on
// an extract), or nil.
func (r *Result) PerRecordCase() *Case {
	for i := range r.Variants {
		for j := range r.Variants[i].Cases {
			if c := &r.Variants[i].Cases[j]; c.PerRecord != nil {
				return c
			}
		}
	}
	return nil
}
