"""The connector contract and registry, channel accounts (profiles) with encrypted credentials,
webhook endpoints, polling, the inbound event ledger and outbound delivery with retries;
one folder per platform under `channels/connectors/`."""
