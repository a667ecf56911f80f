package flows

// registerPending answers menu entries whose flows are still being built
// with a plain "being prepared" screen. It runs last and skips every entry a
// flow has registered, so a new flow needs no change here.
func registerPending(r *Router) {
	for _, name := range []string{actTransfers, actWithdrawals, actReturns, actSupport} {
		if _, ok := r.actions[name]; ok {
			continue
		}
		r.Action(name, RequireCustomer(func(c *Conv, _ Action) error {
			s := Text("common.soon")
			s.Inline = [][]Button{MenuRow(c)}
			s.Replace = c.Event.Kind == EventAction
			c.Show(s)
			return nil
		}))
	}
}
