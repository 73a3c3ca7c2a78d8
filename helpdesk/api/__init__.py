"""The HTTP APIs: REST v1 for staff systems and partners, Open311 GeoReport v2, and the
OpenAPI schema of both."""
