package telegramtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// problem is one way a request breaks the spec: where, and why.
type problem struct {
	Path   string
	Reason string
}

func (p problem) String() string { return p.Path + ": " + p.Reason }

func at(path, reason string, args ...any) []problem {
	return []problem{{Path: path, Reason: fmt.Sprintf(reason, args...)}}
}

// checkValue checks a decoded JSON value (numbers as json.Number) against
// a field's list of allowed types; the value fits if any one type fits.
// When none fits, the problems of the closest type are reported, so a
// reply_markup with one bad inline button names that button rather than
// complaining that it is not a ReplyKeyboardMarkup either.
func (s *spec) checkValue(v any, types []string, path string) []problem {
	var best []problem
	for i, typ := range types {
		ps := s.checkType(v, typ, path)
		if len(ps) == 0 {
			return nil
		}
		if i == 0 || len(ps) < len(best) {
			best = ps
		}
	}
	return best
}

func (s *spec) checkType(v any, typ, path string) []problem {
	if elem, ok := strings.CutPrefix(typ, "Array of "); ok {
		arr, ok := v.([]any)
		if !ok {
			return at(path, "want %s, got %s", typ, jsonKind(v))
		}
		var ps []problem
		for i, e := range arr {
			ps = append(ps, s.checkType(e, elem, fmt.Sprintf("%s[%d]", path, i))...)
		}
		return ps
	}
	switch typ {
	case "Integer":
		n, ok := v.(json.Number)
		if _, err := n.Int64(); !ok || err != nil {
			return at(path, "want Integer, got %s", jsonText(v))
		}
		return nil
	case "Float":
		n, ok := v.(json.Number)
		if _, err := n.Float64(); !ok || err != nil {
			return at(path, "want Float, got %s", jsonText(v))
		}
		return nil
	case "String", "InputFile": // inside JSON a file is a file_id, URL or attach://name
		if _, ok := v.(string); !ok {
			return at(path, "want String, got %s", jsonText(v))
		}
		return nil
	case "Boolean", "True":
		if _, ok := v.(bool); !ok {
			return at(path, "want Boolean, got %s", jsonText(v))
		}
		return nil
	}
	t := s.Types[typ]
	if t == nil {
		return at(path, "type %s is not in the spec", typ)
	}
	if len(t.Subtypes) > 0 {
		return s.checkUnion(v, t, path)
	}
	return s.checkObject(v, t, path)
}

// checkUnion picks the variant named by the discriminator ("type",
// "status", ...) when there is one, and otherwise any variant that fits.
func (s *spec) checkUnion(v any, t *specType, path string) []problem {
	obj, ok := v.(map[string]any)
	if !ok {
		return at(path, "want %s object, got %s", t.Name, jsonKind(v))
	}
	for _, name := range t.Subtypes {
		sub := s.Types[name]
		if sub == nil {
			continue
		}
		for _, f := range sub.Fields {
			if f.constant != "" && obj[f.Name] == f.constant {
				return s.checkType(v, name, path)
			}
		}
	}
	return s.checkValue(v, t.Subtypes, path)
}

func (s *spec) checkObject(v any, t *specType, path string) []problem {
	obj, ok := v.(map[string]any)
	if !ok {
		return at(path, "want %s object, got %s", t.Name, jsonKind(v))
	}
	if len(t.Fields) == 0 {
		return nil // placeholder types such as CallbackGame carry no fields
	}
	var ps []problem
	for _, key := range slices.Sorted(maps.Keys(obj)) {
		f := t.fieldsByName[key]
		if f == nil {
			ps = append(ps, at(join(path, key), "%s has no field %q", t.Name, key)...)
			continue
		}
		if f.constant != "" && obj[key] != f.constant {
			ps = append(ps, at(join(path, key), "must be %q for %s, got %s", f.constant, t.Name, jsonText(obj[key]))...)
			continue
		}
		ps = append(ps, s.checkValue(obj[key], f.Types, join(path, key))...)
	}
	for _, f := range t.Fields {
		if _, present := obj[f.Name]; f.Required && !present {
			ps = append(ps, at(join(path, f.Name), "required field of %s is missing", t.Name)...)
		}
	}
	if len(ps) == 0 {
		ps = s.objectRules(obj, t, path)
	}
	return ps
}

// join builds "reply_markup.inline_keyboard" style paths; top-level
// parameters have an empty parent path.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case bool:
		return "boolean"
	case json.Number:
		return "number"
	}
	return fmt.Sprintf("%T", v)
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil || len(b) > 60 {
		return jsonKind(v)
	}
	return string(b)
}

// decodeJSON decodes with numbers kept as json.Number, so Integer and
// Float can be told apart.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("trailing data after JSON value")
	}
	return v, nil
}
