"""The use cases, one module per capability. Each takes a store, opens the
transaction, applies the domain's rules, calls the store and writes the audit
entry; every file handed over goes out through :mod:`ehtool.services.exports`."""
