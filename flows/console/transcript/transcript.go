// Package transcript renders the scripted scenarios of every flow for
// locale testers: Markdown per language, and one self-contained HTML page
// that shows each screen side by side in every language as chat bubbles
// with their buttons, the message IDs on hover, and a filter by flow.
// `paydesk transcript --out DIR` writes them.
package transcript

import (
	"context"
	"fmt"
	"html"
	"slices"
	"strings"

	"paydesk/flows"
	"paydesk/flows/console/scenario"
	"paydesk/locales"
)

// Doc is every scenario played in every language, step by step.
type Doc struct {
	Languages []string   `json:"languages"`
	Scenarios []Scenario `json:"scenarios"`
}

// Scenario is one scenario's steps, aligned across languages: the scripts
// are the same in every language, so step i is the same moment in each.
type Scenario struct {
	Name  string   `json:"name"`
	Flow  string   `json:"flow"`
	Title string   `json:"title"`
	Langs []string `json:"langs"` // the languages it was played in
	Rows  []Row    `json:"rows"`
}

// Row is one step in every language.
type Row struct {
	Part  string              `json:"part,omitempty"`
	Input map[string]string   `json:"input"` // by language: what was typed or pressed
	Cells map[string][]Bubble `json:"cells"` // by language: what the bot showed
}

// Bubble is one message as a chat shows it.
type Bubble struct {
	// Kind: "bot" (the customer's chat), "other" (another customer's
	// chat), "support" (the support group), "agent" (an agent's words,
	// shown to the customer as the bot), "notice" (a pressed button's toast).
	Kind     string     `json:"kind"`
	To       string     `json:"to,omitempty"`    // where it goes, when not the customer's chat
	Topic    string     `json:"topic,omitempty"` // the forum topic's name, for the support group's posts
	Edit     bool       `json:"edit,omitempty"`
	HTML     string     `json:"html"` // Telegram HTML
	Buttons  [][]string `json:"buttons,omitempty"`
	Keyboard [][]string `json:"keyboard,omitempty"` // reply keyboard
	IDs      []string   `json:"ids"`
	Lang     string     `json:"lang"`
}

// Build plays every scenario in every language over stores from open.
func Build(ctx context.Context, open scenario.Opener, scenarios []scenario.Scenario, langs []string) (Doc, error) {
	doc := Doc{Languages: langs}
	for _, sc := range scenarios {
		steps := map[string][]scenario.Step{}
		var bundle *locales.Bundle
		var played []string
		for _, lang := range langs {
			if !slices.Contains(sc.Languages(), lang) {
				continue
			}
			played = append(played, lang)
			_, p, err := scenario.Play(ctx, open, sc, lang)
			if err != nil {
				return Doc{}, err
			}
			steps[lang], bundle = p.Steps, p.Bundle
		}
		if len(played) == 0 {
			continue
		}
		out := Scenario{Name: sc.Name, Flow: sc.Flow, Title: sc.Title, Langs: played}
		n := 0
		for _, s := range steps {
			n = max(n, len(s))
		}
		for i := 0; i < n; i++ {
			row := Row{Input: map[string]string{}, Cells: map[string][]Bubble{}}
			for _, lang := range played {
				if i >= len(steps[lang]) {
					continue
				}
				st := steps[lang][i]
				row.Part = st.Part
				row.Input[lang] = st.Input
				row.Cells[lang] = Bubbles(bundle, st, "")
			}
			out.Rows = append(out.Rows, row)
		}
		doc.Scenarios = append(doc.Scenarios, out)
	}
	return doc, nil
}

// Bubbles renders what one step showed, each reply in its chat's language
// or, if lang is set, in lang (the pseudo-locale, say).
func Bubbles(bundle *locales.Bundle, st scenario.Step, lang string) []Bubble {
	pick := func(l string) *locales.Localizer {
		if lang != "" {
			return bundle.For(lang)
		}
		return bundle.For(l)
	}
	var list []Bubble
	var mineLang string
	for _, r := range st.Out.Replies {
		if r.ChatID == st.ChatID || st.ChatID == 0 {
			mineLang = r.Lang
			break
		}
	}
	if !st.Out.Toast.IsZero() && mineLang != "" {
		loc := pick(mineLang)
		list = append(list, Bubble{Kind: "notice", HTML: loc.Text(st.Out.Toast), IDs: []string{st.Out.Toast.ID}, Lang: loc.Lang()})
	}
	for _, r := range st.Out.Replies {
		loc := pick(r.Lang)
		b := screen(loc, r.Screen, r.ShowIDs)
		b.Kind = "bot"
		if r.ChatID != st.ChatID {
			b.Kind, b.To = "other", fmt.Sprintf("to chat %d", r.ChatID)
		}
		b.Edit = r.Screen.Replace
		list = append(list, b)
	}
	for _, r := range st.Out.Relays {
		loc := pick(r.Ticket.Language)
		switch r.Kind {
		case flows.RelayCard:
			b := screen(loc, flows.Screen{Body: r.Note}, false)
			b.Topic = flows.TopicTitle(loc, r.TopicName)
			b.Kind, b.To = "support", "support group: topic “"+b.Topic+"”"
			b.IDs = append(b.IDs, r.TopicName.ID)
			list = append(list, b)
		case flows.RelayTopicRenamed:
			topic := flows.TopicTitle(loc, r.TopicName)
			list = append(list, Bubble{Kind: "support", To: "support group: the topic is renamed", Topic: topic,
				HTML: html.EscapeString(topic), IDs: []string{r.TopicName.ID}, Lang: loc.Lang()})
		case flows.RelayNote:
			b := screen(loc, flows.Screen{Body: r.Note}, false)
			b.Kind, b.To = "support", fmt.Sprintf("support group: ticket #%d", r.Ticket.ID)
			list = append(list, b)
		case flows.RelayToCustomer:
			text, _ := strings.CutPrefix(st.Input, "agent:")
			list = append(list, Bubble{Kind: "agent", To: "to the customer, from support", HTML: html.EscapeString(strings.TrimSpace(text)), IDs: []string{}, Lang: loc.Lang()})
		}
	}
	return list
}

// screen renders a screen as a bubble.
func screen(loc *locales.Localizer, s flows.Screen, showIDs bool) Bubble {
	b := Bubble{HTML: s.HTML(loc, showIDs), IDs: s.IDs(), Lang: loc.Lang()}
	for _, row := range s.Inline {
		var labels []string
		for _, btn := range row {
			labels = append(labels, locales.PlainText(loc.Text(btn.Label)))
		}
		b.Buttons = append(b.Buttons, labels)
	}
	if s.Reply != nil {
		for _, row := range s.Reply.Rows {
			var labels []string
			for _, btn := range row {
				labels = append(labels, locales.PlainText(loc.Text(btn.Label)))
			}
			b.Keyboard = append(b.Keyboard, labels)
		}
	}
	if b.IDs == nil {
		b.IDs = []string{}
	}
	return b
}
