"""The web form channel: a public, accessible contact form per profile, answered by e-mail."""
