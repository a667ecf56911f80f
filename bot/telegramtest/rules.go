package telegramtest

import (
	"maps"
	"slices"
	"strings"
	"unicode/utf16"
)

// Limits Telegram enforces beyond the field types.
const (
	maxTextLen          = 4096 // sendMessage, editMessageText
	maxCaptionLen       = 1024
	maxCallbackDataLen  = 64 // bytes
	maxCallbackAnswer   = 200
	maxForumTopicName   = 128
	buttonTextField     = "text"
	copyTextActionField = "copy_text"
)

var parseModes = map[string]bool{"HTML": true, "MarkdownV2": true, "Markdown": true}

// utf16Len counts characters the way Telegram does: in UTF-16 code units.
func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }

// paramRules checks the limits of a method's top-level parameters.
func (s *spec) paramRules(method string, params map[string]any) []problem {
	ps := formattingRules(params, "")
	switch method {
	case "sendMessage", "editMessageText":
		if text, ok := params["text"].(string); ok {
			ps = append(ps, formattedLength("text", text, params["parse_mode"], 1, maxTextLen)...)
		}
	case "answerCallbackQuery":
		if text, _ := params["text"].(string); utf16Len(text) > maxCallbackAnswer {
			ps = append(ps, at("text", "%d characters, at most %d allowed", utf16Len(text), maxCallbackAnswer)...)
		}
	case "createForumTopic", "editForumTopic":
		if name, ok := params["name"].(string); ok {
			if n := utf16Len(name); n < 1 || n > maxForumTopicName {
				ps = append(ps, at("name", "%d characters, want 1-%d", n, maxForumTopicName)...)
			}
		}
	}
	return ps
}

// objectRules checks the limits of objects nested in JSON parameters; it
// runs only on objects whose fields already match the spec.
func (s *spec) objectRules(obj map[string]any, t *specType, path string) []problem {
	switch t.Name {
	case "InlineKeyboardButton":
		return inlineButtonRules(obj, t, path)
	case "KeyboardButton":
		if text, _ := obj[buttonTextField].(string); text == "" {
			return at(join(path, "text"), "button text is empty")
		}
		return nil
	}
	return formattingRules(obj, path)
}

// formattingRules checks parse_mode values and caption lengths, wherever
// they appear: in a sendPhoto call or inside an InputMediaPhoto.
func formattingRules(obj map[string]any, path string) []problem {
	var ps []problem
	for key, v := range obj {
		if mode, ok := v.(string); ok && strings.HasSuffix(key, "parse_mode") && !parseModes[mode] {
			ps = append(ps, at(join(path, key), "unsupported parse mode %q, want HTML, MarkdownV2 or Markdown", mode)...)
		}
	}
	if caption, ok := obj["caption"].(string); ok {
		ps = append(ps, formattedLength(join(path, "caption"), caption, obj["parse_mode"], 0, maxCaptionLen)...)
	}
	return ps
}

// formattedLength checks that text parses in its parse mode and that its
// visible length (after entity parsing) is within [lo, hi].
func formattedLength(path, text string, parseMode any, lo, hi int) []problem {
	visible := text
	if parseMode == "HTML" {
		v, err := parseHTML(text)
		if err != nil {
			return at(path, "can't parse entities: %v", err)
		}
		visible = v
	}
	if lo > 0 && strings.TrimSpace(visible) == "" {
		return at(path, "text is empty")
	}
	if n := utf16Len(visible); n > hi {
		return at(path, "%d characters after entity parsing, at most %d allowed", n, hi)
	}
	return nil
}

// inlineButtonRules: a label and exactly one action. The library sends
// "copy_text":{"text":""} on every button; Telegram ignores an empty
// copy_text, so it is not counted as an action.
func inlineButtonRules(obj map[string]any, t *specType, path string) []problem {
	var ps []problem
	if text, _ := obj[buttonTextField].(string); text == "" {
		ps = append(ps, at(join(path, "text"), "button text is empty")...)
	}
	var actions []string
	for _, key := range slices.Sorted(maps.Keys(obj)) {
		if !isButtonAction(key) || !actionSet(key, obj[key]) {
			continue
		}
		actions = append(actions, key)
	}
	if len(actions) != 1 {
		ps = append(ps, at(path, "inline button needs exactly one action field (url, callback_data, ...), has %d: %v", len(actions), actions)...)
	}
	if data, ok := obj["callback_data"].(string); ok {
		if n := len(data); n < 1 || n > maxCallbackDataLen {
			ps = append(ps, at(join(path, "callback_data"), "%d bytes, want 1-%d", n, maxCallbackDataLen)...)
		}
	}
	return ps
}

// isButtonAction follows the InlineKeyboardButton description: every field
// other than text, icon_custom_emoji_id and style is an action.
func isButtonAction(field string) bool {
	return field != buttonTextField && field != "icon_custom_emoji_id" && field != "style"
}

func actionSet(field string, v any) bool {
	switch field {
	case copyTextActionField:
		m, _ := v.(map[string]any)
		text, _ := m["text"].(string)
		return text != ""
	case "pay":
		return v == true
	}
	return true
}
