"""The web views, one module per role: account, manager, operator, payroll."""
