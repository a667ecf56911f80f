package transcript

import (
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"paydesk/locales"
)

// Markdown writes the doc in one language: a section per scenario, every
// step with what was typed and what the bot showed, buttons in brackets.
func Markdown(w io.Writer, doc Doc, lang string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# paydesk transcripts (%s)\n\nEvery scripted scenario of every flow, as the golden tests play it. Message IDs follow each message.\n", lang)
	for _, sc := range doc.Scenarios {
		if !slices.Contains(sc.Langs, lang) {
			continue
		}
		fmt.Fprintf(&b, "\n## %s\n\n_%s_ · flow `%s`\n", sc.Name, sc.Title, sc.Flow)
		part := ""
		for _, row := range sc.Rows {
			if row.Part != part && row.Part != "" {
				part = row.Part
				fmt.Fprintf(&b, "\n### %s\n", part)
			}
			if in := row.Input[lang]; in != "" {
				fmt.Fprintf(&b, "\n**> %s**\n", mdEscape(in))
			} else {
				b.WriteString("\n**(time passes: periodic jobs run)**\n")
			}
			for _, bub := range row.Cells[lang] {
				b.WriteString("\n")
				if bub.To != "" {
					fmt.Fprintf(&b, "*%s*\n\n", mdEscape(bub.To))
				}
				if bub.Kind == "notice" {
					fmt.Fprintf(&b, "*(notice: %s)*\n", mdEscape(locales.PlainText(bub.HTML)))
					continue
				}
				if bub.Edit {
					b.WriteString("*(edits the message)*\n\n")
				}
				text := toMarkdown(bub.HTML)
				for _, line := range strings.Split(text, "\n") {
					fmt.Fprintf(&b, "> %s\n", line)
				}
				for _, row := range bub.Buttons {
					b.WriteString(">\n> " + buttons(row) + "\n")
				}
				for _, row := range bub.Keyboard {
					b.WriteString(">\n> keyboard: " + buttons(row) + "\n")
				}
				if len(bub.IDs) > 0 {
					fmt.Fprintf(&b, "\n<sub>%s</sub>\n", "`"+strings.Join(bub.IDs, "` `")+"`")
				}
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func buttons(row []string) string {
	var cells []string
	for _, l := range row {
		cells = append(cells, "`[ "+l+" ]`")
	}
	return strings.Join(cells, " ")
}

var mdTags = strings.NewReplacer("<b>", "**", "</b>", "**", "<strong>", "**", "</strong>", "**",
	"<i>", "_", "</i>", "_", "<em>", "_", "</em>", "_", "<code>", "`", "</code>", "`")

var mdSpecial = regexp.MustCompile("([\\\\`*_\\[\\]#|<>])")

// toMarkdown turns Telegram HTML into Markdown: bold, italic and code kept,
// other tags dropped, the rest escaped.
func toMarkdown(html string) string {
	// Escape the visible text between tags, then map the tags.
	var b strings.Builder
	for len(html) > 0 {
		i := strings.IndexByte(html, '<')
		if i < 0 {
			b.WriteString(mdEscape(locales.PlainText(html)))
			break
		}
		b.WriteString(mdEscape(locales.PlainText(html[:i])))
		j := strings.IndexByte(html[i:], '>')
		if j < 0 {
			b.WriteString(mdEscape(html[i:]))
			break
		}
		tag := html[i : i+j+1]
		if m := mdTags.Replace(tag); m != tag {
			b.WriteString(m)
		}
		html = html[i+j+1:]
	}
	return b.String()
}

func mdEscape(s string) string { return mdSpecial.ReplaceAllString(s, `\$1`) }
