"""QtWidgets and pyqtgraph: the main window, dialogs and tray. Talks to the facade only."""
