"""Platform connectors, one folder each, discovered through the `loket.connectors` entry points."""
