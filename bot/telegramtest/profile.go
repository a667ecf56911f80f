package telegramtest

import "strings"

// The bot's profile: what setMyCommands, setMyDescription and
// setMyShortDescription stored, per scope and language, is what the get
// methods answer, as Telegram does; a bot that compares before it sets
// can be tested for the calls it saves.

// profileAnswer answers the profile methods; ok is false for other methods.
func (s *Server) profileAnswer(method string, params map[string]any) (result any, ok bool) {
	lang, _ := params["language_code"].(string)
	scope := "default"
	if sc, isMap := params["scope"].(map[string]any); isMap {
		if typ, _ := sc["type"].(string); typ != "" {
			scope = typ
		}
	}
	key := scope + "/" + lang
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.profile == nil {
		s.profile = map[string]any{}
	}
	switch method {
	case "setMyCommands":
		s.profile["commands/"+key] = params["commands"]
		return true, true
	case "deleteMyCommands":
		delete(s.profile, "commands/"+key)
		return true, true
	case "getMyCommands":
		if c, has := s.profile["commands/"+key]; has {
			return c, true
		}
		return []any{}, true
	case "setMyDescription", "setMyShortDescription":
		field := strings.TrimPrefix(snake(strings.TrimPrefix(method, "setMy")), "_")
		v, _ := params[field].(string)
		s.profile[field+"/"+lang] = v
		return true, true
	case "getMyDescription", "getMyShortDescription":
		field := strings.TrimPrefix(snake(strings.TrimPrefix(method, "getMy")), "_")
		v, _ := s.profile[field+"/"+lang].(string)
		return map[string]any{field: v}, true
	}
	return nil, false
}

// snake turns "ShortDescription" into "_short_description".
func snake(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'A' && r <= 'Z' {
			b.WriteByte('_')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}
