"""File formats: Loop Habit Tracker backups and CSV exports (and later JSON, iCalendar).

Readers turn files into core objects; writers turn core objects into files.
Nothing here touches HabitDesk's own database.
"""
