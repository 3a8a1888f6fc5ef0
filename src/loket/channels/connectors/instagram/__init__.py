"""Instagram professional accounts: comments, @mentions and direct messages."""
