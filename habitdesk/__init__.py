"""HabitDesk: a desktop habit tracker with Loop Habit Tracker's rules."""

__version__ = "0.1.0"
APP_NAME = "HabitDesk"
APP_ID = "io.github.habitdesk.HabitDesk"
