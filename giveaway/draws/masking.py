"""Masked handles for public pages: ``sandrine_t`` → ``@sa***t``."""


def mask_handle(handle: str) -> str:
    """Keep the first two characters and the last one; never reveal short handles whole."""
    handle = handle.lstrip("@")
    if len(handle) <= 3:
        return "@" + handle[:1] + "***"
    return "@" + handle[:2] + "***" + handle[-1]
