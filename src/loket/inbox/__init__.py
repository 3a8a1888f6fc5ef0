"""Contacts, conversations, messages and cases with their append-only history, the case
workflow and SLA clocks, and the intake pipeline every citizen message passes through."""
