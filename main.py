"""Start HabitDesk from a source checkout: python main.py [--data-dir DIR]."""

import sys

from habitdesk.app import main

if __name__ == "__main__":
    sys.exit(main())
