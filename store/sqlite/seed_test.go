package sqlite

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"paydesk/store"
)

func openTestDB(t *testing.T) *DB {
	t.Helper()
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "paydesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func seeded(t *testing.T, now time.Time) *DB {
	t.Helper()
	db := openTestDB(t)
	if err := db.SeedDemo(t.Context(), now); err != nil {
		t.Fatalf("SeedDemo: %v", err)
	}
	return db
}

// seedNows are moments the demo may be started at, chosen around month ends,
// a leap day and national holidays of both calendars.
var seedNows = []time.Time{
	time.Date(2025, 11, 23, 10, 0, 0, 0, time.UTC),
	time.Date(2024, 3, 31, 20, 30, 0, 0, time.UTC), // already April 1 in Almaty
	time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC),
	time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC),
	time.Date(2025, 3, 24, 12, 0, 0, 0, time.UTC), // right after Nauryz
	time.Date(2025, 12, 28, 9, 15, 30, 123456789, time.FixedZone("CET", 3600)),
}

var demoPeople = []store.Customer{
	{ID: 1, Name: "Айгерим Садыкова", Phone: "+77010000001", Language: "ru", Country: "KZ", TimeZone: "Asia/Almaty", Tier: "standard", Currency: "KZT"},
	{ID: 2, Name: "Tereza Nováková", Phone: "+420601000001", Language: "cs", Country: "CZ", TimeZone: "Europe/Prague", Tier: "gold", Currency: "CZK"},
	{ID: 3, Name: "John Miller", Phone: "+447700900001", Language: "en", Country: "CZ", TimeZone: "Europe/Prague", Tier: "standard", Currency: "EUR"},
	{ID: 4, Name: "Нурлан Ахметов", Phone: "+77010000002", Language: "ru", Country: "KZ", TimeZone: "Asia/Almaty", Tier: "standard", Currency: "KZT"},
}

// TestSeedDemoPromises checks what the flows and the demo rely on, for
// several moments of the year.
func TestSeedDemoPromises(t *testing.T) {
	for _, now := range seedNows {
		t.Run(now.Format(time.RFC3339), func(t *testing.T) {
			db := seeded(t, now)
			for _, want := range demoPeople {
				got, err := db.CustomerByPhone(t.Context(), want.Phone)
				if err != nil || got != want {
					t.Errorf("CustomerByPhone(%s) = %+v, %v; want %+v", want.Phone, got, err, want)
				}
				if _, err := db.Tier(t.Context(), want.Tier); err != nil {
					t.Errorf("customer %d: %v", want.ID, err)
				}
			}
			for _, c := range demoPeople[:3] {
				t.Run(c.Language, func(t *testing.T) {
					checkSeededTransfers(t, db, c, now)
					checkSeededWithdrawals(t, db, c, now)
					checkSeededReturns(t, db, c, now)
				})
			}
		})
	}
}

func checkSeededTransfers(t *testing.T, db *DB, c store.Customer, now time.Time) {
	list, total, err := db.Transfers(t.Context(), c.ID, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if total < 8 || len(list) != total {
		t.Fatalf("%d transfers (total %d), want at least 8", len(list), total)
	}
	monthAgo := now.In(c.Location()).AddDate(0, -1, 0)
	var older, lastDay int
	for _, tr := range list {
		switch age := now.Sub(tr.CreatedAt); {
		case age < 0 || age > 45*day:
			t.Errorf("transfer %d made %v before now, want within 45 days", tr.ID, age)
		case age < day:
			lastDay++
		}
		if tr.CreatedAt.Before(monthAgo) {
			older++
		}
		if tr.Currency != c.Currency || tr.SenderID != c.ID || tr.Amount <= 0 || tr.RecipientName == "" {
			t.Errorf("transfer %+v does not fit customer %d", tr, c.ID)
		}
	}
	if older < 2 || lastDay < 1 {
		t.Errorf("%d transfers older than a calendar month and %d within a day, want at least 2 and 1", older, lastDay)
	}
	if c.ID == 1 && (list[0].RecipientID != 4 || list[0].RecipientName != "Нурлан Ахметов") {
		t.Errorf("latest transfer of customer 1 = %+v, want it to customer 4", list[0])
	}
}

func checkSeededWithdrawals(t *testing.T, db *DB, c store.Customer, now time.Time) {
	ctx := t.Context()
	list, err := db.Withdrawals(ctx, c.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	tier, err := db.Tier(ctx, c.Tier)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, w := range list {
		p, err := db.Provider(ctx, w.Provider)
		if err != nil {
			t.Errorf("withdrawal %d: %v", w.ID, err)
			continue
		}
		h := w.History
		if w.Currency != c.Currency || len(h) == 0 || h[0].Stage != store.StageApproval ||
			!h[0].At.Equal(w.CreatedAt) || h[len(h)-1].Stage != w.Stage {
			t.Errorf("withdrawal %+v is not well formed", w)
		}
		for i := 1; i < len(h); i++ {
			if !h[i-1].At.Before(h[i].At) {
				t.Errorf("withdrawal %d: history not in time order: %+v", w.ID, h)
			}
		}
		// Calendar days are a safe stand-in for business days here: a
		// stage past twice its limit plus two days is past it in business
		// days too, whatever the holidays.
		since := now.Sub(w.StageSince())
		limit := time.Duration(tier.ApprovalDays) * day
		if w.Stage == store.StageProcessing {
			limit = time.Duration(p.MaxDays) * day
		}
		switch {
		case w.Stage == store.StageApproval || w.Stage == store.StageProcessing:
			if since > 2*limit+2*day {
				kinds[string(w.Stage)+" stuck"] = true
			}
			if since < 6*time.Hour {
				kinds[string(w.Stage)+" fresh"] = true
			}
		case w.Stage == store.StageReceived && len(h) == 3 && h[1].Stage == store.StageProcessing:
			kinds["received"] = true
		case w.Stage == store.StageRejected:
			kinds["rejected"] = true
		}
	}
	for _, k := range []string{"approval stuck", "approval fresh", "processing stuck", "processing fresh", "received", "rejected"} {
		if !kinds[k] {
			t.Errorf("no withdrawal %s among %+v", k, list)
		}
	}
}

func checkSeededReturns(t *testing.T, db *DB, c store.Customer, now time.Time) {
	list, err := db.ReturnRequests(t.Context(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	const window = 72 * time.Hour
	kinds := map[string]bool{}
	for _, r := range list {
		if r.Currency != c.Currency || r.OrderNo == "" || r.Item == "" || r.Amount <= 0 {
			t.Errorf("return request %+v does not fit customer %d", r, c.ID)
		}
		refused := !r.RefusedAt.IsZero() && r.SellerReason != "" && r.RefusedAt.After(r.CreatedAt)
		switch since := now.Sub(r.RefusedAt); {
		case r.Status == store.ReturnRefused && refused && since > 0 && since < window-24*time.Hour:
			kinds["refused, disputable"] = true
		case r.Status == store.ReturnRefused && refused && since > window:
			kinds["refused, too late"] = true
		case r.Status == store.ReturnPending && r.RefusedAt.IsZero() && r.SellerReason == "":
			kinds["pending"] = true
		case r.Status == store.ReturnApproved && r.RefusedAt.IsZero():
			kinds["approved"] = true
		}
	}
	for _, k := range []string{"refused, disputable", "refused, too late", "pending", "approved"} {
		if !kinds[k] {
			t.Errorf("no return request %s among %+v", k, list)
		}
	}
}

// dump renders every row of every table but schema_migrations (which holds
// when it ran), to compare two databases.
func dump(t *testing.T, db *DB) string {
	t.Helper()
	ctx := t.Context()
	tables, err := queryAll(ctx, db.sql, func(row scanner) (string, error) {
		var name string
		return name, row.Scan(&name)
	}, `SELECT name FROM sqlite_schema WHERE type = 'table'
		AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, table := range tables {
		rows, err := db.sql.QueryContext(ctx, `SELECT * FROM "`+table+`" ORDER BY 1, 2`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		fmt.Fprintf(&b, "%s %v\n", table, cols)
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "  %#v\n", vals)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return b.String()
}

func TestSeedDemoIsDeterministic(t *testing.T) {
	now := seedNows[0]
	a, b := dump(t, seeded(t, now)), dump(t, seeded(t, now))
	if a != b {
		t.Errorf("two seeds with the same now differ:\n%s\n---\n%s", a, b)
	}
	if !strings.Contains(a, "Нурлан Ахметов") {
		t.Errorf("the dump misses seeded rows:\n%s", a)
	}
	// The same instant in another zone is the same seed.
	if c := dump(t, seeded(t, now.In(time.FixedZone("ALMT", 5*3600)))); c != a {
		t.Errorf("a seed with now in another zone differs")
	}
	if c := dump(t, seeded(t, now.Add(time.Second))); c == a {
		t.Errorf("a seed one second later is the same: the dump sees no times")
	}
	db := seeded(t, now)
	for _, id := range []int64{firstDemoTransfer} {
		if tr, err := db.Transfer(t.Context(), id); err != nil || tr.SenderID != 1 {
			t.Errorf("Transfer(%d) = %+v, %v; want customer 1's first", id, tr, err)
		}
	}
	if w, err := db.Withdrawal(t.Context(), firstDemoWithdrawal); err != nil || w.CustomerID != 1 {
		t.Errorf("Withdrawal(%d) = %+v, %v; want customer 1's first", firstDemoWithdrawal, w, err)
	}
	if r, err := db.ReturnRequest(t.Context(), firstDemoReturnRequest); err != nil || r.CustomerID != 1 {
		t.Errorf("ReturnRequest(%d) = %+v, %v; want customer 1's first", firstDemoReturnRequest, r, err)
	}
}

func TestSeedDemoOnlyIntoAnEmptyDatabase(t *testing.T) {
	ctx := t.Context()
	db := seeded(t, seedNows[0])
	before := dump(t, db)
	if err := db.SeedDemo(ctx, seedNows[1]); err != nil {
		t.Fatalf("second SeedDemo: %v", err)
	}
	if after := dump(t, db); after != before {
		t.Errorf("a second SeedDemo changed the database")
	}

	other := openTestDB(t)
	if empty, err := other.Empty(ctx); err != nil || !empty {
		t.Fatalf("Empty() on a new database = %v, %v", empty, err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(other.AddTier(ctx, store.Tier{Code: "standard", ApprovalDays: 3}))
	_, err := other.AddCustomer(ctx, store.Customer{Name: "Real Person", Phone: "+420777000111", Language: "cs",
		Country: "CZ", TimeZone: "Europe/Prague", Tier: "standard", Currency: "CZK"})
	must(err)
	if empty, err := other.Empty(ctx); err != nil || empty {
		t.Fatalf("Empty() with a customer = %v, %v", empty, err)
	}
	must(other.SeedDemo(ctx, seedNows[0]))
	if _, err := other.CustomerByPhone(ctx, demoPeople[0].Phone); err == nil {
		t.Errorf("SeedDemo added demo customers to a database that had customers")
	}
}
