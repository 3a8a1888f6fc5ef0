"""Organisations (tenants), their teams, users and memberships with roles, login (local
accounts with throttling and an optional second factor, and OpenID Connect), the audit log of
security-relevant actions, and which organisation a request works in."""
