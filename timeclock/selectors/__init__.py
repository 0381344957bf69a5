"""Time clock and pay selectors, one module per sub-domain: devices, punches, correction
requests, timesheets, pay, pay periods."""
