"""Loket: social media as a full service channel and an instrument for participation."""
