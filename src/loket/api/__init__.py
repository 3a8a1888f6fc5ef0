"""The JSON API under `/api/v1/`, with its OpenAPI schema; thin like the pages: parse, call a
service or selector, answer."""
