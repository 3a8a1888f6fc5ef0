"""X (formerly Twitter): mentions and direct messages in, public replies and DMs out."""
