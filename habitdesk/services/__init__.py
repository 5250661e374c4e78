"""QtCore-only services: reminder scheduler, notifier backends, sync worker, single instance."""
