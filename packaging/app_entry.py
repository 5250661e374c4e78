"""The bundled `habitdesk` executable (PyInstaller): the window, the tray and reminders."""

from habitdesk.app import main

raise SystemExit(main())
