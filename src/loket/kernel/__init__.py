"""Foundations every other module builds on: the tenant-owned model base with its scoped
manager, request language selection, and other cross-cutting helpers. Depends on nothing
in Loket."""
