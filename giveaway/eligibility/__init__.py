"""Eligibility in the app: rules per contest, stored verdicts, manual decisions, review."""
