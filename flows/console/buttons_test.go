package console_test

import (
	"testing"

	"paydesk/flows/console/scenario"
	"paydesk/locales"
)

// TestButtonLabelsAreLinted: every button any scenario shows has its label
// message listed in locales/lint.toml (buttons), so `locales check`
// measures it against what phones cut.
func TestButtonLabelsAreLinted(t *testing.T) {
	cfg, err := locales.DefaultLintConfig()
	if err != nil {
		t.Fatal(err)
	}
	missing := map[string]string{}
	for _, sc := range scenario.All {
		_, p := play(t, sc, sc.Languages()[len(sc.Languages())-1])
		for _, st := range p.Steps {
			for _, r := range st.Out.Replies {
				for _, row := range r.Screen.Inline {
					for _, b := range row {
						if !cfg.IsButton(b.Label.ID) {
							missing[b.Label.ID] = sc.Name
						}
					}
				}
				if r.Screen.Reply != nil {
					for _, row := range r.Screen.Reply.Rows {
						for _, b := range row {
							if !cfg.IsButton(b.Label.ID) {
								missing[b.Label.ID] = sc.Name
							}
						}
					}
				}
			}
		}
	}
	for id, sc := range missing {
		t.Errorf("button label %s (scenario %s) is not in locales/lint.toml buttons", id, sc)
	}
}
