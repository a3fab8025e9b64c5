"""Resolving post URLs and checking followers."""

from __future__ import annotations

import pytest

from giveaway.core.sources import SourcePaused, SourceStopped
from giveaway.sources.instagram import InvalidPostUrl, follows, parse_post_url, resolve_post


@pytest.mark.parametrize("url, code", [
    ("https://www.instagram.com/p/B1LbfVPlwIA/", "B1LbfVPlwIA"),
    ("https://instagram.com/p/B-fKL9qpeab/?igshid=1xm76zkq7o1im", "B-fKL9qpeab"),
    ("https://www.instagram.com/reel/C0Ab_cd-123/", "C0Ab_cd-123"),
    ("http://www.instagram.com/maison.giveaway/p/B1LbfVPlwIA", "B1LbfVPlwIA"),
    ("  https://www.instagram.com/p/B1LbfVPlwIA/#comments ", "B1LbfVPlwIA"),
    ("https://m.instagram.com/reels/C0Ab_cd-123/", "C0Ab_cd-123"),
    ("https://www.instagram.com/tv/B1LbfVPlwIA/", "B1LbfVPlwIA"),
])
def test_post_urls_decode_offline(url, code):
    assert parse_post_url(url) == code


@pytest.mark.parametrize("url", [
    "https://www.instagram.com/maison.giveaway/",
    "https://www.instagram.com/share/p/BAbc123/",
    "https://www.instagram.com/share/reel/BAbc123/",
    "https://www.instagram.com/stories/someone/123/",
    "https://evil-instagram.com/p/B1LbfVPlwIA/",
    "https://www.instagram.com.evil.example/p/B1LbfVPlwIA/",
    "ftp://www.instagram.com/p/B1LbfVPlwIA/",
    "instagram.com/p/B1LbfVPlwIA/",
    "https://www.instagram.com/p/B1L%2FfVP/",
    "",
])
def test_other_urls_are_refused(url):
    with pytest.raises(InvalidPostUrl) as caught:
        parse_post_url(url)
    assert isinstance(caught.value, SourceStopped) and isinstance(caught.value, ValueError)
    assert caught.value.reason == "invalid_url"


def test_resolve_post_makes_one_private_call(fake, client):
    post = fake.post(12, seed=4, reply_rate=0.5, comments_disabled=True, announced_extra=3)
    info = resolve_post(client, post.url)
    assert info.media_pk == str(post.media_pk) and info.owner_pk == str(post.owner_pk)
    assert info.media_id == post.media_id and info.code == post.code
    assert info.comment_count == post.comment_count == 12 + len(post.reply_ids()) + 3
    assert info.comments_disabled is True
    assert fake.stats.paths == [f"GET /api/v1/media/{post.media_pk}/info/"]


def test_missing_post_and_challenge(fake, client):
    with pytest.raises(SourceStopped) as caught:
        resolve_post(client, "https://www.instagram.com/p/B1LbfVPlwIA/")
    assert caught.value.reason == "media_not_found"
    post = fake.post(3)
    fake.faults.add("challenge", endpoint="info", at={2})
    with pytest.raises(SourcePaused):
        resolve_post(client, post.url)


def test_follows_is_true_false_or_unknown(fake, client):
    fake.followers.add(42)
    host = client.user_id
    assert follows(client, 42, host) is True
    assert follows(client, "43", str(host)) is False
    assert follows(client, 42, 999) is None  # the session is not the host's account
    fake.faults.add("throttle", endpoint="friendship", at={3})
    assert follows(client, 42, host) is None  # instagrapi swallows the 429: unknown, not "no"
    fake.faults.add("cut", endpoint="friendship", at={4})
    assert follows(client, 42, host) is None
    assert follows(client, 42, host) is True
