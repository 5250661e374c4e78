"""The bundled `habitdesk-cli` executable (PyInstaller): the same CLI as the source install's."""

from habitdesk.cli import main

raise SystemExit(main())
