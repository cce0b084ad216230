package scenario

import (
	"testing"
	"unicode/utf8"
)

// TestOptionsHaveShortLabels: every option of B and every value has a
// short Dutch label for a table, distinct among the option's values, and
// a date that is not among the values is shown as a Dutch date.
func TestOptionsHaveShortLabels(t *testing.T) {
	for _, op := range Options {
		if op.Short == "" || utf8.RuneCountInString(op.Short) > 20 {
			t.Errorf("b.%s: short label %q", op.Key, op.Short)
		}
		seen := map[string]bool{}
		for _, v := range op.Values {
			if v.Short == "" || utf8.RuneCountInString(v.Short) > 18 || seen[v.Short] {
				t.Errorf("b.%s=%s: short label %q (empty, long or twice)", op.Key, v.Text, v.Short)
			}
			seen[v.Short] = true
		}
	}
	var o BOptions
	op, _ := OptionByKey("peildatum")
	if err := op.Set(&o, "2022-03-04"); err != nil {
		t.Fatal(err)
	}
	if got := op.ShortOf(&o); got != "4-3-2022" {
		t.Errorf("a date of one's own: %q", got)
	}
}
