"""The command layer: every read and change the GUI, tray and CLI make goes through here.

Qt-free. Listeners (views, the reminder scheduler, the sync queue) subscribe to
its change events.
"""
