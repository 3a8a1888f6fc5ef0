"""Posts to several profiles at once, the publishing calendar, approval per the strategy and
scheduled delivery, guarded during the pre-election period."""
