"""The knowledge base: articles and collections shared from central to local government and
overridden locally, reply templates, answer suggestion by retrieval, and importers (IPDC,
CPSV-AP, CSV/JSONL)."""
