"""Rehab programmes: exercises prescribed from the knowledge base, home sheets and adherence."""
