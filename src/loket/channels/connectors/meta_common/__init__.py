"""What Facebook, Instagram and WhatsApp share: Meta's webhook signature and verification
handshake, the envelope of its webhook payloads, and a small Graph API client.

Not a connector itself (it has no entry point); the three Meta connectors import it and never
each other.
"""
