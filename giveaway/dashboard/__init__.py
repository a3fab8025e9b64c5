"""The partner dashboard: counts of a partner's contests, never who took part.

Partner users see their own partner's contests, read-only; staff see any
partner's dashboard ("view as partner") and create one-time invite links.
Nothing here ever reads or shows a handle, a comment text or a user id.
"""
