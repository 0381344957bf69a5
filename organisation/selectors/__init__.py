"""Organisation selectors (reads), one module per sub-domain."""
