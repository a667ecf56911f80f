package flows

import (
	"errors"

	"paydesk/locales"
	"paydesk/store"
)

// Linking a chat to a customer of the payments backend, by the phone number
// shared with Telegram's contact button or by a deep-link token. Nothing with
// money is shown to a chat before it is linked.

const (
	flowLink    = "link"
	stepContact = "contact"
	keyNext     = "next" // the action to resume after linking (Action.encode)
)

func registerLink(r *Router) {
	r.contact = linkByContact
	r.Input(flowLink, stepContact, func(c *Conv) error {
		c.Show(askContact(c, "link.press_button"))
		return nil
	})
}

// RequireCustomer wraps an action that needs a linked customer: an unlinked
// chat is asked to link first, and the action runs once it is.
func RequireCustomer(h ActionHandler) ActionHandler {
	return func(c *Conv, a Action) error {
		if c.Customer != nil {
			return h(c, a)
		}
		c.Goto(flowLink, stepContact)
		c.Set(keyNext, a.encode())
		c.Show(askContact(c, "link.required"))
		return nil
	}
}

// askContact shows the "Share my phone number" keyboard under a message.
func askContact(c *Conv, id string) Screen {
	return Screen{
		Body: []locales.Msg{locales.M(id)},
		Reply: &ReplyKeyboard{Rows: [][]ReplyButton{{
			{Label: locales.M("link.share_button"), RequestContact: true},
		}}},
	}
}

// linkByContact links the chat when a customer shares their own number.
// A contact of somebody else (forwarded or picked from the address book) is
// refused: only the contact button proves the number is the sender's.
func linkByContact(c *Conv) error {
	ct := c.Event.Contact
	if ct == nil || ct.UserID != c.Event.UserID {
		c.Show(askContact(c, "link.not_own_contact"))
		return nil
	}
	phone := store.NormalizePhone(ct.Phone)
	cust, err := c.Ledger().CustomerByPhone(c.Context(), phone)
	if errors.Is(err, store.ErrNotFound) {
		c.Log().Info("link refused", "chat", c.Event.ChatID, "reason", "unknown phone")
		s := Text("link.not_found")
		s.RemoveReply = true
		c.Show(s)
		c.Show(menu(c))
		c.Leave()
		return nil
	}
	if err != nil {
		return err
	}
	return linked(c, cust)
}

// linkByToken links the chat with a token issued by the payments app.
func linkByToken(c *Conv, token string) error {
	id, err := ParseLinkToken(c.e.linkKey, token, c.Now)
	if err != nil {
		c.Log().Info("link refused", "chat", c.Event.ChatID, "reason", err)
		msg := "link.token_invalid"
		if errors.Is(err, ErrLinkTokenExpired) {
			msg = "link.token_expired"
		}
		c.Show(withMenu(c, Text(msg)))
		return nil
	}
	cust, err := c.Ledger().Customer(c.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		c.Show(withMenu(c, Text("link.token_invalid")))
		return nil
	}
	if err != nil {
		return err
	}
	return linked(c, cust)
}

// linked records the link, confirms it and resumes what the customer asked
// for before linking, if anything.
func linked(c *Conv, cust store.Customer) error {
	next := c.Get(keyNext)
	c.Leave()
	c.Session.CustomerID = cust.ID
	c.Customer = &cust
	c.setLang() // the account's language, if the chat has none of its own
	c.Log().Info("chat linked", "chat", c.Event.ChatID, "customer", cust.ID)
	// A stuck withdrawal had no chat to be nudged in: the next tick looks.
	if err := scheduleOpenWithdrawals(c.Context(), c.State(), c.Ledger(), cust.ID, c.Now); err != nil {
		return err
	}
	s := Text("link.done", "Name", firstName(cust.Name))
	s.RemoveReply = true
	c.Show(s)
	if a, ok := decodeAction(next); ok {
		if h, ok := c.e.router.actions[a.Name]; ok {
			return h(c, a)
		}
	}
	c.Show(menu(c))
	return nil
}
