// Package published holds published budget figures as data, so that the
// tool's estimates can be set beside them.
//
// A Set is read from a TOML file with one [[figure]] table per figure. Every
// figure carries its year, a Dutch description of what it is (line), its
// value in a unit from a closed list (Unit), optionally the range the source
// gives (low, high), its source, and a comparison kind (Comparison) that says
// which of the tool's figures has the same scope, if any. Where the scope
// differs, scope_note says how, in Dutch, for the sheet "Gepubliceerde
// cijfers". Reference documents every key, unit and comparison kind.
//
// One set is built in (embedded in the binary): "ex-partners", the budget
// figures published for the compensation scheme for ex-partners. Users copy
// and extend it and pass their file with `--published FILE`; every figure
// must keep its source.
//
// The package knows nothing of the model, of scenario files or of output
// formats: it reads and checks the figures; comparing them is the caller's.
package published
