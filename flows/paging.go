package flows

// PageRows are the "◀ Previous" / "Next ▶" buttons of a list shown page by
// page (page counts from 0), pressing action with the page to show; none
// when the list fits on one page.
func PageRows(c *Conv, action string, page, pages int) [][]Button {
	var nav []Button
	if page > 0 {
		nav = append(nav, c.Button(M("transfer.previous"), action, int64(page-1)))
	}
	if page+1 < pages {
		nav = append(nav, c.Button(M("transfer.next"), action, int64(page+1)))
	}
	if len(nav) == 0 {
		return nil
	}
	return [][]Button{nav}
}
