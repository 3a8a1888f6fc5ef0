"""Consultations across social channels, themes in the citizen voice, reports for policy makers
and the "you said, we did" loop back to contributors."""
