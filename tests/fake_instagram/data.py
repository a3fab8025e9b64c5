"""Deterministic generated posts, shaped like Instagram's private API JSON."""

from __future__ import annotations

import random
from dataclasses import dataclass

HOST_PK = 5_000_000_001  # the account the fixture session is logged in as
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

FIRST = ["camille", "lea", "manon", "chloe", "ines", "louise", "jade", "emma", "hugo", "lucas",
         "theo", "nathan", "louis", "arthur", "jules", "zoe", "lina", "mael", "noemie", "clement"]
LAST = ["martin", "bernard", "dubois", "thomas", "robert", "richard", "petit", "durand",
        "leroy", "moreau", "simon", "laurent", "lefebvre", "michel", "garcia", "roux"]
TEMPLATES = [
    "Je participe ! {m} {m2} #concours",
    "Trop beau 😍 {m}",
    "Merci pour ce concours ! {m} #giveaway #france",
    "J'adore vos créations, je tente ma chance {m} {m2} {m3}",
    "Ça serait génial de gagner 🙏 {m} #jeuconcours",
    "Partagé en story ✨ {m}",
    "Bonne chance à tous ! {m} {m2}",
    "Coucou {m}, regarde ça ! #cadeau #concoursinstagram",
]
HOSTILE = [
    "<script>alert('x')</script> {m}",
    "\u202egniggub\u202c {m} #concours",
    "zero\u200bwidth\u200d {m}",
    "'; DROP TABLE entries; -- {m}",
    "{{{{ config }}}} {m} \\x00",
    "Ligne 1\nLigne 2\r\n\tTab {m}",
]
REPLIES = ["Merci {m} !", "Bonne chance {m} 🍀", "Moi aussi je participe {m}", "😂 {m}"]


def shortcode(pk: int) -> str:
    """Encode a media pk the way Instagram's shortcodes do (base 64)."""
    chars = []
    while pk:
        pk, rem = divmod(pk, 64)
        chars.append(ALPHABET[rem])
    return "".join(reversed(chars)) or "A"


@dataclass
class FakePost:
    """A generated post: ``comments`` in display order, ``replies`` per parent pk."""

    media_pk: int
    owner_pk: int
    owner_username: str
    comments: list[dict]
    replies: dict[str, list[dict]]
    page_size: int = 20
    reply_page_size: int = 5
    anchor: int = 0
    reply_anchor: str = "end"
    end_loop: bool = False
    comments_disabled: bool = False
    announced_extra: int = 0
    taken_at: int = 1_700_000_000

    @property
    def code(self) -> str:
        return shortcode(self.media_pk)

    @property
    def url(self) -> str:
        return f"https://www.instagram.com/p/{self.code}/"

    @property
    def media_id(self) -> str:
        return f"{self.media_pk}_{self.owner_pk}"

    @property
    def comment_count(self) -> int:
        """The announced count: top-level plus replies, plus any hidden extra."""
        return len(self.comments) + sum(map(len, self.replies.values())) + self.announced_extra

    def top_level_ids(self) -> set[str]:
        return {str(c["pk"]) for c in self.comments}

    def reply_ids(self) -> set[str]:
        return {str(r["pk"]) for rs in self.replies.values() for r in rs}

    def all_ids(self) -> set[str]:
        return self.top_level_ids() | self.reply_ids()

    def comment_by_id(self) -> dict[str, dict]:
        """Every comment and reply keyed by ``str(pk)``."""
        out = {str(c["pk"]): c for c in self.comments}
        out.update((str(r["pk"]), r) for rs in self.replies.values() for r in rs)
        return out


def _user(rng: random.Random, pk: int) -> dict:
    name = f"{rng.choice(FIRST)}.{rng.choice(LAST)}{rng.randint(1, 99)}"
    return {
        "pk": pk if rng.random() < 0.5 else str(pk),
        "pk_id": str(pk),
        "username": name,
        "full_name": name.split(".")[0].title(),
        "is_private": rng.random() < 0.2,
        "is_verified": False,
        "profile_pic_url": f"https://scontent.cdninstagram.com/v/t51.2885-19/{pk}_n.jpg",
    }


def _text(rng: random.Random, users: list[dict], pool: list[str]) -> str:
    m, m2, m3 = (f"@{rng.choice(users)['username']}" for _ in range(3))
    return rng.choice(pool).format(m=m, m2=m2, m3=m3)


def _item(rng, pk, user, text, ts, parent=None) -> dict:
    item = {
        "pk": pk if rng.random() < 0.5 else str(pk),
        "user_id": user["pk"],
        "text": text,
        "type": 2 if parent else 0,
        "created_at": ts,
        "created_at_utc": ts,
        "content_type": "comment",
        "status": "Active",
        "bit_flags": 0,
        "did_report_as_spam": False,
        "share_enabled": False,
        "user": dict(user),
        "is_covered": False,
        "has_liked_comment": False,
        "comment_like_count": rng.randint(0, 5),
        "private_reply_status": 0,
    }
    if parent is not None:
        item["parent_comment_id"] = parent
    return item


def generate_post(
    n_comments: int,
    *,
    seed: int = 1,
    reply_rate: float = 0.0,
    max_replies: int = 12,
    hostile_rate: float = 0.02,
    **options,
) -> FakePost:
    """Build a post with ``n_comments`` top-level comments (newest first).

    ``reply_rate`` is the share of comments that get 1..``max_replies``
    replies; ``options`` are :class:`FakePost` fields (page_size, anchor, …).
    """
    rng = random.Random(seed)
    media_pk = 3_100_000_000_000_000_000 + seed * 7919
    owner_pk = options.pop("owner_pk", HOST_PK)
    users = [_user(rng, 40_000_000_000 + seed * 1_000_000 + i)
             for i in range(max(50, n_comments // 3))]
    next_pk = 17_900_000_000_000_000 + seed * 10_000_000
    ts = options.pop("taken_at", 1_700_000_000)
    comments, replies = [], {}
    for i in range(n_comments):
        next_pk += rng.randint(1, 50)
        pool = HOSTILE if rng.random() < hostile_rate else TEMPLATES
        created = ts + 60 + (n_comments - i) * 37
        comment = _item(rng, next_pk, rng.choice(users), _text(rng, users, pool), created)
        comments.append(comment)
        if rng.random() < reply_rate:
            thread = []
            for j in range(rng.randint(1, max_replies)):
                next_pk += rng.randint(1, 50)
                thread.append(_item(rng, next_pk, rng.choice(users), _text(rng, users, REPLIES),
                                    created + 5 + j, parent=str(comment["pk"])))
            replies[str(comment["pk"])] = thread
        comment["child_comment_count"] = len(replies.get(str(comment["pk"]), ()))
        comment["preview_child_comments"] = replies.get(str(comment["pk"]), [])[:1]
    return FakePost(media_pk=media_pk, owner_pk=owner_pk, owner_username="maison.giveaway",
                    comments=comments, replies=replies, taken_at=ts, **options)


def media_item(post: FakePost) -> dict:
    """The ``items[0]`` of ``media/{pk}/info/``: enough for instagrapi's Media model."""
    return {
        "pk": post.media_pk,
        "id": post.media_id,
        "code": post.code,
        "taken_at": post.taken_at,
        "media_type": 1,
        "product_type": "feed",
        "user": {"pk": post.owner_pk, "username": post.owner_username, "full_name": "Maison"},
        "comment_count": post.comment_count,
        "comments_disabled": post.comments_disabled,
        "like_count": 1234,
        "caption": {"text": "🎁 CONCOURS 🎁 Pour participer : abonne-toi et identifie 2 amis !"},
        "usertags": {"in": []},
    }
