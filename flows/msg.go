package flows

import "paydesk/locales"

// Msg is a localizable message (see locales.Msg); flows build screens from them.
type Msg = locales.Msg

// M builds a message from an ID and key/value pairs.
func M(id string, kv ...any) Msg { return locales.M(id, kv...) }
