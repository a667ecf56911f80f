package telegramtest

import "strings"

// minimalDepth bounds the recursion through required object fields.
const minimalDepth = 8

// minimal builds the smallest object of a spec type: required fields only,
// discriminators set to their constant, unions as their first variant. It
// answers methods the fake has no special behaviour for.
func (s *spec) minimal(typ string) any {
	return s.minimalAt(typ, 0)
}

func (s *spec) minimalAt(typ string, depth int) any {
	if strings.HasPrefix(typ, "Array of ") {
		return []any{}
	}
	switch typ {
	case "Integer":
		return 1
	case "Float":
		return 0.0
	case "String", "InputFile":
		return "x"
	case "Boolean", "True":
		return true
	}
	t := s.Types[typ]
	if t == nil || depth > minimalDepth {
		return map[string]any{}
	}
	if len(t.Subtypes) > 0 {
		return s.minimalAt(t.Subtypes[0], depth+1)
	}
	obj := map[string]any{}
	for _, f := range t.Fields {
		switch {
		case !f.Required:
		case f.constant != "":
			obj[f.Name] = f.constant
		default:
			obj[f.Name] = s.minimalAt(f.Types[0], depth+1)
		}
	}
	return obj
}
