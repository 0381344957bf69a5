"""The REST API of the organisation app, mounted under /api/v1/."""
