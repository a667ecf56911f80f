package flows

import "paydesk/locales"

const (
	actLanguage    = "lang"
	actSetLanguage = "setlang"
)

func registerLanguage(r *Router) {
	r.Command("language", func(c *Conv) error { c.Show(languagePicker(c)); return nil })
	r.View(actLanguage, func(c *Conv, _ Action) error {
		s := languagePicker(c)
		s.Replace = true
		c.Show(s)
		return nil
	})
	r.Action(actSetLanguage, func(c *Conv, a Action) error {
		i := int(a.Arg(0))
		if i < 0 || i >= len(locales.Languages) {
			return refuseButton(c)
		}
		c.Session.Language = locales.Languages[i]
		c.Lang = c.Session.Language
		s := withMenu(c, Text("language.changed"))
		s.Replace = true
		c.Show(s)
		return nil
	})
}

// languagePicker lists the languages, each named in itself.
func languagePicker(c *Conv) Screen {
	s := Screen{Body: []locales.Msg{locales.M("language.choose")}}
	for i, lang := range locales.Languages {
		s.Inline = append(s.Inline, []Button{c.Button(locales.M("lang."+lang), actSetLanguage, int64(i))})
	}
	s.Inline = append(s.Inline, MenuRow(c))
	return s
}

// refuseButton answers a button whose data is signed but makes no sense now
// (an index out of range, an object that is not the customer's).
func refuseButton(c *Conv) error {
	c.Toast(locales.M("common.button_invalid"))
	c.Show(withMenu(c, Text("common.button_invalid")))
	return nil
}
