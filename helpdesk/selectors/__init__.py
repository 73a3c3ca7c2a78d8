"""Read-only queries of the core, by entity: what pages, sockets and the API show."""
