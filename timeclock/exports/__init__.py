"""Payroll export formats of a closed period, one module per format; every file's bytes depend
only on the frozen lines, so a re-export is byte-identical."""
