"""Staff and public pages of the core, by entity."""
