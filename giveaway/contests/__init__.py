"""Contests: registration, rules document and status lifecycle."""
