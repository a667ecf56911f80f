package transcript

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strings"
)

//go:embed page.html
var pageHTML string

var page = template.Must(template.New("page").Parse(pageHTML))

// HTML writes the gallery: one self-contained page (inline CSS and script,
// no network) that shows every screen of every scenario side by side in the
// doc's languages. It works offline from a file:// URL.
func HTML(w io.Writer, doc Doc) error {
	data, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("encode the transcript: %w", err)
	}
	// The JSON sits in a <script type="application/json">: html/template
	// leaves such a script's text alone, so keep "</" out of it ourselves.
	safe := strings.ReplaceAll(string(data), "</", `<\/`)
	return page.Execute(w, map[string]any{
		"Langs": strings.Join(doc.Languages, ", "),
		"JSON":  template.JS(safe),
	})
}
