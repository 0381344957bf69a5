"""Scheduling services (writes), one module per sub-domain: forecasting, roster builds,
versions, publication, republication, notices, edits and inputs, swaps and time off."""
