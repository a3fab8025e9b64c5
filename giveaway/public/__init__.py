"""Public pages: the contest's commitment, its certificate, and "Am I counted?"."""
