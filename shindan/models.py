"""Models of the shindan app."""
