"""Triage of citizen messages: language, message type, topic, urgency, sentiment, personal data
and abuse, learned from each organisation's own corrections; training and evaluation."""
