"""Clinics, the people who work in them, their roles, qualifications and insurance."""
