"""The demo organisation (directorates, sections, partners, agents with known logins),
its history generator and ``make demo``'s commands. Never needed in production."""
