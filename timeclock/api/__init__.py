"""Time clock and pay APIs, one module per sub-domain: devices, punches, corrections,
correction requests, pay periods, pay policies, timesheets."""
