"""E-mail: a mailbox read over IMAP, replies sent over SMTP."""
