package scenario

import "reflect"

// Clone returns a deep copy of the scenario: changing the copy (Set, Take)
// leaves s as it is. It copies without parsing the text again, for a
// caller that makes many variations of one scenario (the attribution of a
// comparison makes one per subset of the keys that differ).
func (s *Scenario) Clone() *Scenario {
	return deepCopy(reflect.ValueOf(s)).Interface().(*Scenario)
}

// deepCopy copies v with everything it points to: pointers, slices and
// maps anew, structs field by field. Unexported fields are copied as they
// are (decimals, dates, an uncertainty's anchor): the package never
// changes what they point to in place.
func deepCopy(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		c := reflect.New(v.Type().Elem())
		c.Elem().Set(deepCopy(v.Elem()))
		return c
	case reflect.Struct:
		c := reflect.New(v.Type()).Elem()
		c.Set(v)
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				c.Field(i).Set(deepCopy(v.Field(i)))
			}
		}
		return c
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		switch v.Type().Elem().Kind() {
		case reflect.Pointer, reflect.Struct, reflect.Slice, reflect.Map, reflect.Interface, reflect.Array:
			for i := range v.Len() {
				c.Index(i).Set(deepCopy(v.Index(i)))
			}
		default: // plain values (the text's bytes, strings): at once
			reflect.Copy(c, v)
		}
		return c
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		c := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			c.SetMapIndex(it.Key(), deepCopy(it.Value()))
		}
		return c
	}
	return v
}
