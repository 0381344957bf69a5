"""Time clock and pay services, one module per sub-domain: devices, punches, kiosk,
corrections, correction requests, pay periods, adjustments, pay policies, payroll exports,
retention."""
