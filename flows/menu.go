package flows

import (
	"strings"

	"paydesk/locales"
)

// Action names of the main menu. Each money entry belongs to its flow; the
// menu only makes the buttons.
const (
	actMenu        = "menu"
	actHelp        = "help"
	actTransfers   = "tr"
	actWithdrawals = "wd"
	actReturns     = "rr"
	actSupport     = "sup"
)

func registerMenu(r *Router) {
	r.start = start
	r.Command("start", start)
	r.Command("menu", func(c *Conv) error { c.Leave(); c.Show(menu(c)); return nil })
	r.Command("cancel", func(c *Conv) error {
		if h, ok := r.cancels[c.Session.Flow]; ok {
			return h(c)
		}
		return leaveCancelled(c)
	})
	r.Command("help", func(c *Conv) error { c.Show(help(c)); return nil })
	r.View(actMenu, func(c *Conv, _ Action) error {
		c.Leave()
		s := menu(c)
		s.Replace = true
		c.Show(s)
		return nil
	})
	r.View(actHelp, func(c *Conv, _ Action) error {
		s := help(c)
		s.Replace = true
		c.Show(s)
		return nil
	})
}

// leaveCancelled is /cancel: the chat leaves whatever it was doing, for
// the menu.
func leaveCancelled(c *Conv) error {
	c.Leave()
	c.Show(withMenu(c, Text("common.cancelled")))
	return nil
}

// start greets the customer, or links the chat when /start carries a
// deep-link token from the payments app.
func start(c *Conv) error {
	c.Leave()
	if token, ok := strings.CutPrefix(c.Event.Args, LinkPrefix); ok {
		return linkByToken(c, token)
	}
	greeting := locales.M("menu.greeting")
	if c.Customer != nil {
		greeting = locales.M("menu.greeting_linked", "Name", firstName(c.Customer.Name))
	}
	s := menu(c)
	s.Body = append([]locales.Msg{greeting}, s.Body...)
	c.Show(s)
	return nil
}

// menu is the main menu. Entries that show money data ask to link the
// account first when the chat is not linked (see requireCustomer).
func menu(c *Conv) Screen {
	rows := [][]Button{
		{c.Button(locales.M("menu.transfers"), actTransfers)},
		{c.Button(locales.M("menu.withdrawals"), actWithdrawals)},
		{c.Button(locales.M("menu.returns"), actReturns)},
	}
	rows = append(rows, merchantMenuRows(c)...) // «Заявки на отмену», merchants only
	rows = append(rows,
		[]Button{c.Button(locales.M("menu.support"), actSupport)},
		[]Button{c.Button(locales.M("menu.language"), actLanguage), c.Button(locales.M("menu.help"), actHelp)},
	)
	return Screen{Body: []locales.Msg{locales.M("menu.title")}, Inline: rows}
}

// withMenu puts the main menu under a screen's text: the way every dead end
// (an error, an expired step, a refusal) offers the customer a next step.
func withMenu(c *Conv, s Screen) Screen {
	m := menu(c)
	s.Body = append(s.Body, m.Body...)
	s.Inline = append(s.Inline, m.Inline...)
	return s
}

// MenuRow is a single "Menu" button row for the bottom of a flow's screens.
func MenuRow(c *Conv) []Button {
	return []Button{c.Button(locales.M("common.menu_button"), actMenu)}
}

// BackRow is a "Back" button to an action, followed by "Menu".
func BackRow(c *Conv, action string, args ...int64) []Button {
	return []Button{c.Button(locales.M("common.back"), action, args...), c.Button(locales.M("common.menu_button"), actMenu)}
}

func help(c *Conv) Screen {
	return Screen{
		Body:   []locales.Msg{locales.M("help.text")},
		Inline: [][]Button{MenuRow(c)},
	}
}

// firstName is the name a customer is greeted by.
func firstName(full string) string {
	if f := strings.Fields(full); len(f) > 0 {
		return f[0]
	}
	return ""
}
