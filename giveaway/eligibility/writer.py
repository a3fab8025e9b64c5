"""Writing verdicts in bulk: chunks of plain tuples through the driver's ``executemany``."""
from __future__ import annotations

from array import array
from collections import Counter
from typing import Optional

from flask_babel import gettext as _

from giveaway.contests.locking import VERDICT_STATES, lock_contest, refuse
from giveaway.core.eligibility import Flag
from giveaway.eligibility.stream import StoredComment
from giveaway.extensions import db

WRITE_ROWS = 50_000  # verdicts written at a time (sorted: the larger, the fewer pages touched)
_POSITIONAL_MARK = {"qmark": "?", "format": "%s", "pyformat": "%s"}  # by DB-API paramstyle


class VerdictWriter:
    """Buffers the verdicts (and their reason rows) of one evaluation and writes them in chunks.

    Plain tuples and raw SQL: SQLAlchemy's per-row parameter processing would
    cost more than the evaluation itself at a million comments. Call ``flush``
    after the last ``add``, then ``set_flags``.
    """

    def __init__(self, contest_id: int) -> None:
        """:raise Conflict: when the contest's entries are frozen (read under its row lock)."""
        if lock_contest(contest_id) not in VERDICT_STATES:
            raise refuse(_("The entries of this contest are frozen: verdicts can no longer "
                           "change."))
        self.contest_id = contest_id
        self.connection = db.session.connection()
        dialect = self.connection.dialect
        mark = _POSITIONAL_MARK[dialect.paramstyle]  # (SQLite and PostgreSQL drivers)
        # (flags and manual decisions, rare, are set afterwards: fewer values to bind per row)
        self.insert_verdict = ("INSERT INTO verdict (comment_pk, contest_id, counted, reasons, "
                               f"entry_key, flags, manual) VALUES ({mark}, {mark}, {mark}, {mark}, "
                               f"{mark}, ',', NULL)")
        self.insert_reason = ("INSERT INTO verdict_reason (contest_id, reason, created_at, "
                              f"comment_pk) VALUES ({mark}, {mark}, {mark}, {mark})")
        self.update_manual = f"UPDATE verdict SET manual = {mark} WHERE comment_pk = {mark}"
        self.update_flags = f"UPDATE verdict SET flags = {mark} WHERE comment_pk = {mark}"
        self.insert_flag = ("INSERT INTO verdict_flag (contest_id, code, flag_group, created_at, "
                            f"comment_pk) SELECT contest_id, {mark}, {mark}, created_at, id "
                            f"FROM comment WHERE id = {mark}")
        self.verdicts: list[tuple] = []
        self.decisions: list[tuple] = []
        self.reason_texts: dict[tuple[str, ...], str] = {}  # (few distinct combinations)
        self.reasons: list[tuple] = []

    def add(self, row: StoredComment, reasons: tuple[str, ...], counted: bool, key: Optional[str],
            decision: Optional[str]) -> None:
        text = self.reason_texts.get(reasons)
        if text is None:
            text = self.reason_texts[reasons] = "," + ",".join(reasons) + ","
        self.verdicts.append((row.pk, self.contest_id, counted, text, key))
        if decision is not None:
            self.decisions.append((decision, row.pk))
        for reason in reasons:
            self.reasons.append((self.contest_id, reason, row.stored_created_at, row.pk))
        if len(self.verdicts) >= WRITE_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.verdicts:
            self.verdicts.sort()  # by primary key: fewer pages touched per chunk
            self.connection.exec_driver_sql(self.insert_verdict, self.verdicts)
        if self.reasons:
            self.connection.exec_driver_sql(self.insert_reason, self.reasons)
        if self.decisions:
            self.connection.exec_driver_sql(self.update_manual, self.decisions)
        self.verdicts.clear()
        self.reasons.clear()
        self.decisions.clear()

    def set_flags(self, flags: dict[int, tuple[Flag, ...]], pks: array) -> Counter:
        """Store the flags (by evaluation position) on the verdicts written; count them."""
        by_flag: Counter = Counter()
        lists, rows = [], []
        for position, found in flags.items():
            pk = pks[position]
            by_flag.update(flag.code for flag in found)
            lists.append(("," + ",".join(f"{f.code}:{f.group}" for f in found) + ",", pk))
            rows.extend((flag.code, flag.group, pk) for flag in found)
            if len(lists) >= WRITE_ROWS:
                self._write_flags(lists, rows)
        self._write_flags(lists, rows)
        return by_flag

    def _write_flags(self, lists: list[tuple], rows: list[tuple]) -> None:
        if lists:
            self.connection.exec_driver_sql(self.update_flags, lists)
            self.connection.exec_driver_sql(self.insert_flag, rows)
        lists.clear()
        rows.clear()
