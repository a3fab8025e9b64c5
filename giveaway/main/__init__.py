"""Home pages, error pages and template helpers shared by every feature."""
