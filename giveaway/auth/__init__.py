"""Accounts, roles and login."""
