package flows

// Handler handles an event that needs no decoded button.
type Handler func(c *Conv) error

// ActionHandler handles a verified button press.
type ActionHandler func(c *Conv, a Action) error

// Router maps what a customer does to the handler that answers it: commands,
// button actions by name, and free input by the session's flow and step.
// Each flow adds its routes in a register function listed in registerAll.
type Router struct {
	commands map[string]Handler
	actions  map[string]ActionHandler
	views    map[string]bool // actions that only show a screen (see View)
	inputs   map[string]Handler
	cancels  map[string]Handler // /cancel by flow (see Cancel)
	start    Handler
	contact  Handler
	jobs     map[string]Job
	jobOrder []string
	// intercept sees every customer event first; true means it answered
	// (support routes the chat of an open ticket to the agents).
	intercept  func(c *Conv) (bool, error)
	describers map[string]Describer
}

// NewRouter returns an empty router.
func NewRouter() *Router {
	return &Router{
		commands:   map[string]Handler{},
		actions:    map[string]ActionHandler{},
		views:      map[string]bool{},
		inputs:     map[string]Handler{},
		cancels:    map[string]Handler{},
		jobs:       map[string]Job{},
		describers: map[string]Describer{},
	}
}

// Command routes /name.
func (r *Router) Command(name string, h Handler) { r.commands[name] = h }

// Action routes presses of buttons made with this action name. Names are
// short (they travel in every button's 64 bytes) and unique across flows.
func (r *Router) Action(name string, h ActionHandler) {
	if _, dup := r.actions[name]; dup {
		panic("flows: action " + name + " registered twice")
	}
	r.actions[name] = h
}

// View routes an action that only shows a screen (a list, a card, a
// question to confirm, the menu) and changes nothing, so it can run again
// at any time: wrong input while the screen is the chat's last one (a text
// where buttons are expected) is answered with the same screen again, not
// the main menu.
func (r *Router) View(name string, h ActionHandler) {
	r.Action(name, h)
	r.views[name] = true
}

// Input routes free input (text, photo, document) while the session is at
// flow/step.
func (r *Router) Input(flow, step string, h Handler) { r.inputs[stepKey(flow, step)] = h }

// Cancel routes /cancel while the session is in flow: a flow whose steps
// hold what the customer typed asks before dropping it, as its own Cancel
// button does. Elsewhere /cancel leaves for the menu at once.
func (r *Router) Cancel(flow string, h Handler) { r.cancels[flow] = h }

// Job registers a periodic job; Engine.Tick runs jobs in registration order.
func (r *Router) Job(name string, j Job) {
	if _, dup := r.jobs[name]; dup {
		panic("flows: job " + name + " registered twice")
	}
	r.jobs[name] = j
	r.jobOrder = append(r.jobOrder, name)
}

func stepKey(flow, step string) string { return flow + "/" + step }

// registerAll lists every flow. A new flow adds one line here.
func registerAll(r *Router) {
	registerDemoAdvance(r) // the demo ledger moves on before any job reads it
	registerMenu(r)
	registerLink(r)
	registerLanguage(r)
	registerTester(r)
	registerBusy(r) // Retry after the payments backend was unavailable

	// The flows of the main menu.
	registerWithdrawal(r)
	registerTransfer(r)
	registerDispute(r)
	registerRefunds(r)
	registerSupport(r)

	// What the payments ledger tells customers first.
	registerNotices(r)
}
