"""The Bluesky channel: mentions, replies and quotes polled from a PDS, answered in the thread."""
