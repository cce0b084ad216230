package strictoml

import (
	"bytes"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/pelletier/go-toml/v2"
)

// Decode fills v (a pointer to the schema's type) from a document that
// Check passed, refusing unknown keys as Check does. It returns what the
// decoder refuses (a table defined in two ways, a value of a type Check
// does not know), each with its line and numbered key.
func Decode(doc *Doc, v any) []Problem {
	dec := toml.NewDecoder(bytes.NewReader(doc.Text))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		return nil
	}
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) {
		var ps []Problem
		for _, d := range strict.Errors {
			row, _ := d.Position()
			ps = append(ps, Problem{Line: row, Key: doc.keyAt(row, d.Key()), Msg: "unknown key (a typo?)"})
		}
		return ps
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, _ := de.Position()
		msg := de.Error()
		if strings.Contains(msg, "already defined") {
			msg += "; give each key and each table once"
		}
		return []Problem{{Line: row, Key: doc.keyAt(row, de.Key()), Msg: msg}}
	}
	return []Problem{{Msg: err.Error()}}
}

// keyAt returns the numbered key of the entry on line row, or key as the
// decoder gives it when no entry is on that line.
func (d *Doc) keyAt(row int, key toml.Key) string {
	if i := d.EntryAt(row); i >= 0 && d.Entries[i].Line <= row && row <= d.Entries[i].EndLine {
		return d.Entries[i].Key()
	}
	return strings.Join(key, ".")
}

// FieldType returns the type that the value at path decodes into, as
// go-toml finds it: struct fields by their toml tag (or name), an exact
// match before one that differs in case only, embedded structs flattened;
// an array's index; a map's key. ok is false for a path the type does not
// have.
func FieldType(t reflect.Type, path []string) (reflect.Type, bool) {
	for _, name := range path {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch {
		case !IsTable(t) && t.Kind() != reflect.Slice:
			return nil, false
		case t.Kind() == reflect.Slice:
			if _, err := strconv.Atoi(name); err != nil {
				return nil, false
			}
			t = t.Elem()
		case t.Kind() == reflect.Map:
			t = t.Elem()
		default:
			f, ok := fieldByKey(t, name)
			if !ok {
				return nil, false
			}
			t = f.Type
		}
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t, true
}

// Keys lists the keys of a struct type (nil for another type), in the
// order of its fields.
func Keys(t reflect.Type) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	var keys []string
	for _, f := range tomlFields(t) {
		keys = append(keys, f.Name)
	}
	return keys
}

// fieldByKey finds the field of struct type t that the TOML key name
// decodes into.
func fieldByKey(t reflect.Type, name string) (reflect.StructField, bool) {
	fields := tomlFields(t)
	for _, f := range fields {
		if f.Name == name {
			return f, true
		}
	}
	for _, f := range fields {
		if strings.EqualFold(f.Name, name) {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// tomlFields lists the fields of struct type t that the decoder fills, each
// renamed to its TOML key: its own fields first, then those of embedded
// structs. The list is made once per type.
func tomlFields(t reflect.Type) []reflect.StructField {
	if fields, ok := fieldCache.Load(t); ok {
		return fields.([]reflect.StructField)
	}
	fields := listTOMLFields(t)
	fieldCache.Store(t, fields)
	return fields
}

// fieldCache holds tomlFields' list per struct type.
var fieldCache sync.Map // reflect.Type -> []reflect.StructField

func listTOMLFields(t reflect.Type) []reflect.StructField {
	var own, embedded []reflect.StructField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, tagged := f.Tag.Lookup("toml")
		name, _, _ := strings.Cut(tag, ",")
		switch {
		case tag == "-":
		case f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct:
			embedded = append(embedded, tomlFields(f.Type)...)
		case f.IsExported():
			if tagged && name != "" {
				f.Name = name
			}
			own = append(own, f)
		}
	}
	return append(own, embedded...)
}
