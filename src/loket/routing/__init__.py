"""Routing rules as data, the competence map (who is competent for what), and hand-over of a
case to the competent government with its context."""
