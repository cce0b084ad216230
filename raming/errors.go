package raming

// ModelError says that the scenario cannot be computed as asked, on this
// population (for instance the weighted share of variant B when no record
// is in the target group), and what to change. The command maps it to the
// exit code for refused input, with and without Monte Carlo alike.
type ModelError struct {
	Msg string
}

func (e *ModelError) Error() string { return e.Msg }
