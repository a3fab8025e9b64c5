"""The hash-chained audit log of every state-changing action."""
