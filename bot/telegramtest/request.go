package telegramtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Upload is how a multipart file appears in Call.Params.
type Upload struct {
	Filename string
	Size     int64
}

// rawParams is a request's parameters before they are checked: form values
// (JSON text for nested objects) and uploaded files.
type rawParams struct {
	values map[string]string
	files  map[string]Upload
}

const maxUpload = 64 << 20

// readParams accepts what the real Bot API accepts: query strings,
// urlencoded and multipart forms, and JSON bodies.
func readParams(r *http.Request) (rawParams, error) {
	p := rawParams{values: map[string]string{}, files: map[string]Upload{}}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxUpload))
	if err != nil {
		return p, fmt.Errorf("read body: %w", err)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if len(body) == 0 {
		ct = "" // go-telegram/bot sends parameterless calls as an empty multipart body
	}
	switch ct {
	case "multipart/form-data":
		if err := r.ParseMultipartForm(maxUpload); err != nil {
			return p, fmt.Errorf("read multipart form: %w", err)
		}
		for name, fhs := range r.MultipartForm.File {
			p.files[name] = Upload{Filename: fhs[0].Filename, Size: fhs[0].Size}
		}
	case "application/json":
		if err := readJSONBody(r.Body, p.values); err != nil {
			return p, err
		}
	default:
		if err := r.ParseForm(); err != nil {
			return p, fmt.Errorf("read form: %w", err)
		}
	}
	for name, vs := range r.Form {
		p.values[name] = vs[0]
	}
	return p, nil
}

// readJSONBody flattens a JSON body into form-like values: strings as they
// are, everything else as its JSON text.
func readJSONBody(body io.Reader, into map[string]string) error {
	var obj map[string]json.RawMessage
	if err := json.NewDecoder(body).Decode(&obj); err != nil {
		return fmt.Errorf("read JSON body: %w", err)
	}
	for k, raw := range obj {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			into[k] = s
		} else {
			into[k] = string(raw)
		}
	}
	return nil
}

// checkParams checks every parameter against the method's fields and
// returns them decoded (Integer as int64, Float as float64, Boolean as
// bool, JSON-serialized values as maps and slices, files as Upload).
func (s *spec) checkParams(m *specMethod, p rawParams) (map[string]any, []problem) {
	params := map[string]any{}
	var ps []problem
	for _, key := range slices.Sorted(maps.Keys(p.files)) {
		f := m.field(key)
		switch {
		case f != nil && hasType(f, "InputFile"):
			params[key] = p.files[key]
		case f == nil && p.attached(key):
			params[key] = p.files[key] // the target of an attach://key reference
		case f == nil:
			ps = append(ps, at(key, "%s has no parameter %q", m.Name, key)...)
		default:
			ps = append(ps, at(key, "a file was uploaded, but the parameter is %s", strings.Join(f.Types, " or "))...)
		}
	}
	for _, key := range slices.Sorted(maps.Keys(p.values)) {
		f := m.field(key)
		if f == nil {
			ps = append(ps, at(key, "%s has no parameter %q", m.Name, key)...)
			continue
		}
		v, fps := s.decodeParam(f, p.values[key])
		params[key] = v
		ps = append(ps, fps...)
	}
	for _, f := range m.Fields {
		_, inValues := p.values[f.Name]
		_, inFiles := p.files[f.Name]
		if f.Required && !inValues && !inFiles {
			ps = append(ps, at(f.Name, "required parameter is missing")...)
		}
	}
	if len(ps) == 0 {
		ps = s.paramRules(m.Name, params)
	}
	return params, ps
}

func (p rawParams) attached(name string) bool {
	for _, v := range p.values {
		if strings.Contains(v, "attach://"+name) {
			return true
		}
	}
	return false
}

func hasType(f *specField, typ string) bool {
	for _, t := range f.Types {
		if t == typ {
			return true
		}
	}
	return false
}

// decodeParam reads one form value: scalars from their text, everything
// else as JSON checked against the spec's types.
func (s *spec) decodeParam(f *specField, raw string) (any, []problem) {
	var nested []string
	for _, typ := range f.Types {
		if v, ok := decodeScalar(f.Name, typ, raw); ok {
			return v, nil
		}
		if !isScalar(typ) {
			nested = append(nested, typ)
		}
	}
	if len(nested) == 0 {
		return raw, at(f.Name, "want %s, got %q", strings.Join(f.Types, " or "), raw)
	}
	v, err := decodeJSON([]byte(raw))
	if err != nil {
		return raw, at(f.Name, "want JSON-serialized %s: %v", strings.Join(nested, " or "), err)
	}
	ps := s.checkValue(v, nested, f.Name) // before normalize: it wants json.Number
	return normalize(v), ps
}

func isScalar(typ string) bool {
	switch typ {
	case "Integer", "Float", "Boolean", "String", "InputFile":
		return true
	}
	return false
}

func decodeScalar(field, typ, raw string) (any, bool) {
	switch typ {
	case "Integer":
		n, err := strconv.ParseInt(raw, 10, 64)
		return n, err == nil
	case "Float":
		x, err := strconv.ParseFloat(raw, 64)
		return x, err == nil
	case "Boolean":
		b, err := strconv.ParseBool(raw)
		return b, err == nil && (raw == "true" || raw == "false")
	case "String":
		if strings.HasSuffix(field, "chat_id") {
			// A chat is an integer id or a @channelusername.
			return raw, strings.HasPrefix(raw, "@") && len(raw) > 1
		}
		return raw, true
	}
	return nil, false
}

// normalize turns json.Numbers into int64 (when integral) or float64, so
// tests compare nested numbers the same way as top-level ones.
func normalize(v any) any {
	switch x := v.(type) {
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n
		}
		f, _ := x.Float64()
		return f
	case []any:
		for i := range x {
			x[i] = normalize(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = normalize(x[k])
		}
	}
	return v
}
