"""Mastodon: mentions and direct messages polled from the profile's server, replies posted
as statuses."""
