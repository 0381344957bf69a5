"""Server-rendered pages for managers, operators and payroll, on top of the services."""
