"""Outcome measures: administration, scores and progress."""
