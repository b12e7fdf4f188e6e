"""Management commands of the outcomes app."""
