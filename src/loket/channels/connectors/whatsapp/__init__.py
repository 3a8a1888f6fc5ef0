"""WhatsApp Business (Cloud API): citizens' messages to the organisation's business number."""
