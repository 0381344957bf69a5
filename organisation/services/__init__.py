"""Organisation services (writes), one module per sub-domain: the organisation itself, notices."""
