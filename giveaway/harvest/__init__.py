"""Harvesting entries: Instagram comments in the background, and file imports."""
