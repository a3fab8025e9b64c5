"""Where comments come from: Instagram's private API and file imports.

Each source implements :class:`giveaway.core.sources.CommentSource`;
:func:`giveaway.sources.harvest.harvest` drives any of them. Importing this
package does not import instagrapi: use ``giveaway.sources.instagram``.
"""
