"""CalDAV accounts and the sync engine (caldav + icalendar), keyring access."""
