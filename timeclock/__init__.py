"""Devices, punches, corrections, attendance, pay policies, pay periods and payroll export."""
