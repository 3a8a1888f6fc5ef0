"""The generic webhook channel: any system can push citizen messages into Loket over signed HTTP."""
