"""The shared block list (every contest), managed by admins."""
from __future__ import annotations

import re

import sqlalchemy as sa
from flask_babel import gettext as _

from giveaway.audit import service as audit
from giveaway.eligibility.models import BlockedAccount
from giveaway.errors import Conflict, NotFound, ValidationFailed
from giveaway.extensions import db

_HANDLE = re.compile(r"^[A-Za-z0-9._]{1,30}$")
_USER_ID = re.compile(r"^[0-9]{1,30}$")


def block(value: str, reason: str, actor: str, network: str = "ig") -> BlockedAccount:
    """Block ``@handle`` or a numeric user id on every contest.

    :raise ValidationFailed: on something that is neither. :raise Conflict: if already blocked.
    """
    value = value.strip()
    handle = user_id = None
    if _USER_ID.match(value):
        user_id = value
    elif _HANDLE.match(value.lstrip("@")):
        handle = value.lstrip("@").lower()
    else:
        raise ValidationFailed({"value": _("Give an @account name or a numeric user id.")})
    column = BlockedAccount.user_id if user_id else BlockedAccount.handle
    if db.session.scalar(sa.select(BlockedAccount.id).where(
            BlockedAccount.network == network, column == (user_id or handle))):
        raise Conflict(_("%(v)s is already blocked.", v=value))
    entry = BlockedAccount(network=network, handle=handle, user_id=user_id,
                           reason=reason.strip(), added_by=actor)
    db.session.add(entry)
    db.session.flush()
    audit.append(actor, "blocklist.add", "blocked_account", entry.id,
                 {"network": network, "handle": handle, "user_id": user_id, "reason": reason})
    db.session.commit()
    return entry


def unblock(entry_id: int, actor: str) -> None:
    """Remove an entry from the block list. :raise NotFound: when there is none."""
    entry = db.session.get(BlockedAccount, entry_id)
    if entry is None:
        raise NotFound(_("No such entry in the block list."))
    audit.append(actor, "blocklist.remove", "blocked_account", entry.id,
                 {"handle": entry.handle, "user_id": entry.user_id})
    db.session.delete(entry)
    db.session.commit()


def blocked_accounts() -> list[BlockedAccount]:
    """The whole block list, newest first."""
    return list(db.session.scalars(sa.select(BlockedAccount).order_by(BlockedAccount.id.desc())))
