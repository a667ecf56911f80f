// Package tghtml reads text the way Telegram's HTML parse mode does: it
// refuses what Telegram would refuse ("can't parse entities") and returns
// the visible text, whose length is what Telegram's limits count. The fake
// Bot API checks every request with it, and the locale lint checks every
// rendered message with it, so both agree on what Telegram accepts.
package tghtml

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// htmlTag describes one tag of Telegram's HTML parse mode: the attributes it
// takes and which of them must be there.
type htmlTag struct {
	attrs    map[string]bool // attribute name -> required
	noInside bool            // no tags at all inside (code)
}

// htmlTags is the whole of Telegram HTML (core.telegram.org/bots/api#html-style).
var htmlTags = map[string]htmlTag{
	"b": {}, "strong": {}, "i": {}, "em": {}, "u": {}, "ins": {},
	"s": {}, "strike": {}, "del": {}, "tg-spoiler": {},
	"span":       {attrs: map[string]bool{"class": true}},
	"a":          {attrs: map[string]bool{"href": true}},
	"tg-emoji":   {attrs: map[string]bool{"emoji-id": true}},
	"tg-time":    {attrs: map[string]bool{"unix": true, "format": false}},
	"code":       {attrs: map[string]bool{"class": false}, noInside: true},
	"pre":        {},
	"blockquote": {attrs: map[string]bool{"expandable": false}},
}

// htmlEntities are the only named entities Telegram understands.
var htmlEntities = map[string]string{"lt": "<", "gt": ">", "amp": "&", "quot": `"`}

// Parse checks text the way Telegram's HTML parse mode does and returns the
// visible text.
func Parse(text string) (visible string, err error) { return parseHTML(text) }

// parseHTML checks text the way Telegram's HTML parse mode does and returns
// the visible text, whose length is what Telegram's limits apply to.
func parseHTML(text string) (string, error) {
	var (
		visible strings.Builder
		stack   []string
	)
	for i := 0; i < len(text); {
		switch text[i] {
		case '>':
			return "", fmt.Errorf("raw '>' at byte offset %d must be written &gt;", i)
		case '&':
			s, n, err := parseEntity(text[i:])
			if err != nil {
				return "", fmt.Errorf("%w at byte offset %d", err, i)
			}
			visible.WriteString(s)
			i += n
		case '<':
			end := strings.IndexByte(text[i:], '>')
			if end < 0 {
				return "", fmt.Errorf("raw '<' at byte offset %d must be written &lt;", i)
			}
			raw := text[i+1 : i+end]
			var err error
			if name, ok := strings.CutPrefix(raw, "/"); ok {
				stack, err = closeTag(stack, strings.ToLower(name))
			} else {
				stack, err = openTag(stack, raw)
			}
			if err != nil {
				return "", fmt.Errorf("%w at byte offset %d", err, i)
			}
			i += end + 1
		default:
			_, n := utf8.DecodeRuneInString(text[i:])
			visible.WriteString(text[i : i+n])
			i += n
		}
	}
	if len(stack) > 0 {
		return "", fmt.Errorf("can't find end tag corresponding to start tag %q", stack[len(stack)-1])
	}
	return visible.String(), nil
}

func parseEntity(s string) (string, int, error) {
	end := strings.IndexByte(s, ';')
	if end < 0 || end > 12 {
		return "", 0, fmt.Errorf("raw '&' must be written &amp;")
	}
	name := s[1:end]
	if v, ok := htmlEntities[name]; ok {
		return v, end + 1, nil
	}
	if num, ok := strings.CutPrefix(name, "#"); ok {
		base := 10
		if hex, isHex := strings.CutPrefix(strings.ToLower(num), "x"); isHex {
			num, base = hex, 16
		}
		code, err := strconv.ParseUint(num, base, 32)
		if err == nil && utf8.ValidRune(rune(code)) {
			return string(rune(code)), end + 1, nil
		}
	}
	return "", 0, fmt.Errorf("unsupported HTML entity %q", s[:end+1])
}

func closeTag(stack []string, name string) ([]string, error) {
	if len(stack) == 0 {
		return nil, fmt.Errorf("unexpected end tag %q", name)
	}
	if top := stack[len(stack)-1]; top != name {
		return nil, fmt.Errorf("end tag %q does not match start tag %q", name, top)
	}
	return stack[:len(stack)-1], nil
}

func openTag(stack []string, raw string) ([]string, error) {
	name, rest := raw, ""
	if n := strings.IndexAny(raw, " \t\n"); n >= 0 {
		name, rest = raw[:n], raw[n:]
	}
	name = strings.ToLower(name)
	tag, ok := htmlTags[name]
	if !ok {
		return nil, fmt.Errorf("unsupported start tag %q", name)
	}
	attrs, err := parseAttrs(rest)
	if err != nil {
		return nil, fmt.Errorf("tag %q: %w", name, err)
	}
	for attr, required := range tag.attrs {
		if _, has := attrs[attr]; required && !has {
			return nil, fmt.Errorf("tag %q needs attribute %q", name, attr)
		}
	}
	for attr, value := range attrs {
		if _, known := tag.attrs[attr]; !known {
			return nil, fmt.Errorf("tag %q has unsupported attribute %q", name, attr)
		}
		if err := checkAttr(name, attr, value, stack); err != nil {
			return nil, err
		}
	}
	if err := checkNesting(stack, name); err != nil {
		return nil, err
	}
	return append(stack, name), nil
}

func checkAttr(tag, attr, value string, stack []string) error {
	switch {
	case tag == "span" && value != "tg-spoiler":
		return fmt.Errorf(`tag "span" needs class="tg-spoiler", got %q`, value)
	case tag == "a" && value == "":
		return fmt.Errorf(`tag "a" has an empty href`)
	case tag == "tg-time" && attr == "unix":
		if _, err := strconv.ParseInt(value, 10, 64); err != nil {
			return fmt.Errorf(`tag "tg-time" needs a numeric unix, got %q`, value)
		}
	case tag == "code":
		if !strings.HasPrefix(value, "language-") || len(stack) == 0 || stack[len(stack)-1] != "pre" {
			return fmt.Errorf(`tag "code" takes class="language-..." only directly inside "pre"`)
		}
	}
	return nil
}

// checkNesting applies Telegram's rules for entities that cannot contain
// others: nothing inside code, only code inside pre, no quote in a quote,
// no link in a link.
func checkNesting(stack []string, name string) error {
	for i, open := range stack {
		innermost := i == len(stack)-1
		switch {
		case htmlTags[open].noInside:
			return fmt.Errorf("tag %q cannot be inside %q", name, open)
		case open == "pre" && !(innermost && name == "code"):
			return fmt.Errorf("tag %q cannot be inside %q", name, open)
		case open == name && (name == "blockquote" || name == "a" || name == "pre"):
			return fmt.Errorf("tag %q cannot be nested in itself", name)
		}
	}
	return nil
}

// parseAttrs reads `name="value" name='value' name=value flag` lists; values
// may contain entities, which are decoded.
func parseAttrs(s string) (map[string]string, error) {
	attrs := map[string]string{}
	for {
		s = strings.TrimLeft(s, " \t\n")
		if s == "" {
			return attrs, nil
		}
		n := strings.IndexAny(s, "= \t\n")
		if n < 0 {
			n = len(s)
		}
		name := strings.ToLower(s[:n])
		if name == "" {
			return nil, fmt.Errorf("empty attribute name")
		}
		s = s[n:]
		value := ""
		if rest, ok := strings.CutPrefix(s, "="); ok {
			var err error
			value, s, err = attrValue(rest)
			if err != nil {
				return nil, fmt.Errorf("attribute %q: %w", name, err)
			}
		}
		attrs[name] = value
	}
}

func attrValue(s string) (value, rest string, err error) {
	var raw string
	if s != "" && (s[0] == '"' || s[0] == '\'') {
		end := strings.IndexByte(s[1:], s[0])
		if end < 0 {
			return "", "", fmt.Errorf("unclosed quote")
		}
		raw, rest = s[1:end+1], s[end+2:]
	} else {
		n := strings.IndexAny(s, " \t\n")
		if n < 0 {
			n = len(s)
		}
		raw, rest = s[:n], s[n:]
	}
	var b strings.Builder
	for i := 0; i < len(raw); {
		if raw[i] != '&' {
			b.WriteByte(raw[i])
			i++
			continue
		}
		v, n, err := parseEntity(raw[i:])
		if err != nil {
			return "", "", err
		}
		b.WriteString(v)
		i += n
	}
	return b.String(), rest, nil
}
