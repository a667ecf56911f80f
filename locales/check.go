package locales

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"text/template"
	"text/template/parse"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Problem is one defect in the locale files found by Check.
type Problem struct {
	Lang   string // "ru", "cs", "en"
	ID     string // message ID
	Form   string // plural form ("one", "few", ...), "" for the message as a whole
	Detail string
	// Kind says which check found it (KindStructure, KindGlossary, ...);
	// Check leaves it empty, Lint sets it.
	Kind string
	// Warn marks a problem that does not fail the check.
	Warn bool
	// Allowed marks a known problem listed in lint-allow.toml: reported,
	// not failing.
	Allowed bool
}

func (p Problem) String() string {
	where := p.ID
	if p.Form != "" {
		where += " [" + p.Form + "]"
	}
	return fmt.Sprintf("%s %s: %s", p.Lang, where, p.Detail)
}

// Check lints the locale files, so a missing translation or a broken template
// is found by a test or `paydesk locales check`, not by a customer:
//   - every message ID exists in every language;
//   - a plural message (one with any form besides "other", in any language)
//     has exactly the forms each language's CLDR rules use;
//   - every form uses the same placeholders as the English "other" form;
//   - every template parses, no form is empty;
//   - the text is valid Telegram HTML: "<" only opens one of Telegram's tags,
//     "&" only starts an entity Telegram knows, ">" only closes a tag.
//
// The problems are sorted by ID, language and form.
func (b *Bundle) Check() []Problem {
	byLang := make(map[string]map[string]*i18n.Message, len(Languages))
	plural := map[string]bool{}
	for _, lang := range Languages {
		byLang[lang] = make(map[string]*i18n.Message)
		for _, m := range b.messages[lang] {
			byLang[lang][m.ID] = m
			if m.Zero+m.One+m.Two+m.Few+m.Many != "" {
				plural[m.ID] = true
			}
		}
	}
	var problems []Problem
	for _, id := range allIDs(byLang) {
		var want map[string]bool // placeholders of English "other"
		if en, ok := byLang["en"][id]; ok && en.Other != "" {
			want, _ = placeholders(en, en.Other)
		}
		for _, lang := range Languages {
			m, ok := byLang[lang][id]
			if !ok {
				problems = append(problems, Problem{Lang: lang, ID: id, Detail: "missing"})
				continue
			}
			problems = append(problems, checkMessage(lang, m, plural[id], want)...)
		}
	}
	slices.SortStableFunc(problems, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(a.Lang, b.Lang), cmp.Compare(a.Form, b.Form))
	})
	return problems
}

// checkMessage lints one message of one language; want are the placeholders
// of its English "other" form, nil if there is none to compare with.
func checkMessage(lang string, m *i18n.Message, plural bool, want map[string]bool) []Problem {
	var problems []Problem
	add := func(form, format string, args ...any) {
		problems = append(problems, Problem{Lang: lang, ID: m.ID, Form: form, Detail: fmt.Sprintf(format, args...)})
	}
	texts := forms(m)
	if len(texts) == 0 {
		add("", "empty message")
		return problems
	}
	if plural {
		need := pluralForms(language.Make(lang))
		for _, f := range need {
			if _, ok := texts[f]; !ok {
				add(f, "plural form missing (%s uses %s)", lang, strings.Join(need, ", "))
			}
		}
		for f := range texts {
			if !slices.Contains(need, f) {
				add(f, "plural form never used in %s (it uses %s)", lang, strings.Join(need, ", "))
			}
		}
	}
	for _, form := range slices.Sorted(maps.Keys(texts)) {
		text := texts[form]
		if !plural {
			form = "" // a plain message has only "other"; naming it would confuse
		}
		if strings.TrimSpace(text) == "" {
			add(form, "empty text")
			continue
		}
		fields, err := placeholders(m, text)
		if err != nil {
			add(form, "template does not parse: %v", err)
			continue
		}
		if want != nil && !sameSet(fields, want) {
			add(form, "placeholders %s, English \"other\" has %s", setString(fields), setString(want))
		}
		if bad := htmlProblem(m, text); bad != "" {
			add(form, "%s", bad)
		}
	}
	return problems
}

// forms are the texts of m by CLDR form name. go-i18n keeps an empty string
// and an absent key alike, so an empty form counts as missing, and a message
// with no text at all as empty.
func forms(m *i18n.Message) map[string]string {
	out := map[string]string{}
	for name, text := range map[string]string{
		"zero": m.Zero, "one": m.One, "two": m.Two, "few": m.Few, "many": m.Many, "other": m.Other,
	} {
		if text != "" {
			out[name] = text
		}
	}
	return out
}

func allIDs(byLang map[string]map[string]*i18n.Message) []string {
	seen := map[string]bool{}
	for _, msgs := range byLang {
		for id := range msgs {
			seen[id] = true
		}
	}
	return slices.Sorted(maps.Keys(seen))
}

func sameSet(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

func setString(s map[string]bool) string {
	names := slices.Sorted(maps.Keys(s))
	for i, n := range names {
		names[i] = "{{." + n + "}}"
	}
	return "{" + strings.Join(names, " ") + "}"
}

// placeholders parses text as go-i18n will and returns the top-level fields
// it reads: {{.Name}}, also inside if and function calls, and {{$.Name}}
// anywhere. Inside with and range the dot is something else, so .Name there
// is not an argument of the message.
func placeholders(m *i18n.Message, text string) (map[string]bool, error) {
	t, err := template.New(m.ID).Delims(m.LeftDelim, m.RightDelim).Parse(text)
	if err != nil {
		return nil, err
	}
	fields := map[string]bool{}
	if t.Tree != nil {
		walkFields(t.Tree.Root, true, fields)
	}
	return fields, nil
}

// walkFields adds the fields node reads to fields; topDot says whether the
// dot is still the message's arguments.
func walkFields(node parse.Node, topDot bool, fields map[string]bool) {
	switch n := node.(type) {
	case *parse.ListNode:
		if n != nil {
			for _, c := range n.Nodes {
				walkFields(c, topDot, fields)
			}
		}
	case *parse.ActionNode:
		walkFields(n.Pipe, topDot, fields)
	case *parse.IfNode:
		walkBranch(&n.BranchNode, topDot, topDot, fields)
	case *parse.RangeNode:
		walkBranch(&n.BranchNode, topDot, false, fields)
	case *parse.WithNode:
		walkBranch(&n.BranchNode, topDot, false, fields)
	case *parse.TemplateNode:
		walkFields(n.Pipe, topDot, fields)
	case *parse.PipeNode:
		if n != nil {
			for _, cmd := range n.Cmds {
				for _, arg := range cmd.Args {
					walkFields(arg, topDot, fields)
				}
			}
		}
	case *parse.ChainNode:
		walkFields(n.Node, topDot, fields)
	case *parse.FieldNode:
		if topDot {
			fields[n.Ident[0]] = true
		}
	case *parse.VariableNode:
		if n.Ident[0] == "$" && len(n.Ident) > 1 {
			fields[n.Ident[1]] = true
		}
	}
}

func walkBranch(n *parse.BranchNode, topDot, innerTopDot bool, fields map[string]bool) {
	walkFields(n.Pipe, topDot, fields)
	walkFields(n.List, innerTopDot, fields)
	walkFields(n.ElseList, topDot, fields)
}
