package sqlite

import (
	"context"
	"fmt"

	"paydesk/store"
)

const customerColumns = `id, name, phone, language, country, time_zone, tier, currency`

func scanCustomer(row scanner) (store.Customer, error) {
	var c store.Customer
	err := row.Scan(&c.ID, &c.Name, &c.Phone, &c.Language, &c.Country, &c.TimeZone, &c.Tier, &c.Currency)
	return c, err
}

// Customer returns the customer with the id, or store.ErrNotFound.
func (db *DB) Customer(ctx context.Context, id store.CustomerID) (store.Customer, error) {
	c, err := queryOne(ctx, db.rd, scanCustomer,
		`SELECT `+customerColumns+` FROM customers WHERE id = ?`, id)
	if err != nil {
		return c, fmt.Errorf("load customer %d: %w", id, err)
	}
	return c, nil
}

// CustomerByPhone returns the customer with the E.164 number, or
// store.ErrNotFound. The error does not repeat the number: it is personal.
func (db *DB) CustomerByPhone(ctx context.Context, phone string) (store.Customer, error) {
	c, err := queryOne(ctx, db.rd, scanCustomer,
		`SELECT `+customerColumns+` FROM customers WHERE phone = ?`, phone)
	if err != nil {
		return c, fmt.Errorf("load customer by phone: %w", err)
	}
	return c, nil
}

// AddCustomer stores a customer of the (demo) payments backend; ID 0 lets
// the database choose one. It returns the id, or store.ErrDuplicate when the
// id or the phone number is taken.
func (db *DB) AddCustomer(ctx context.Context, c store.Customer) (store.CustomerID, error) {
	var id store.CustomerID
	err := db.write(ctx, func(q querier) error {
		var err error
		id, err = addCustomer(ctx, q, c)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("add customer %d: %w", c.ID, err)
	}
	return id, nil
}

func addCustomer(ctx context.Context, q querier, c store.Customer) (store.CustomerID, error) {
	id, err := insert(ctx, q, `INSERT INTO customers (`+customerColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		nullID(int64(c.ID)), c.Name, c.Phone, c.Language, c.Country, c.TimeZone, c.Tier, c.Currency)
	return store.CustomerID(id), err
}
