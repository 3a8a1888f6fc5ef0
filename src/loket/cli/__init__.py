"""The `loket` command: Loket's own sub-commands (demo, serve, worker) next to Django's
management commands (migrate, check, createsuperuser, …), all under one name."""
