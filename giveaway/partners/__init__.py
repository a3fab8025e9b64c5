"""Partners: the local producers who offer the prizes."""
