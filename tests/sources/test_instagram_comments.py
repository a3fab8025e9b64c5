"""Pagination, replies, de-duplication and resumption of InstagramCommentSource."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from fake_instagram import Store

from giveaway.core.sources import BadPage
from giveaway.sources.harvest import harvest
from giveaway.sources.instagram import InstagramCommentSource, resolve_post


def _run(client, post, store=None, cursor=None, include_replies=True, sleeps=None):
    store = store or Store()
    info = resolve_post(client, post.url)
    result = harvest(InstagramCommentSource(client, info, include_replies), cursor,
                     store.on_page, sleep=sleeps if sleeps is not None else (lambda s: None))
    return result, store


def test_follows_both_cursor_directions(fake, client):
    post = fake.post(230, seed=2, page_size=20, anchor=117)
    result, store = _run(client, post)
    assert result.complete and store.ids() == post.all_ids() and store.offered_twice == 0
    assert result.pages == 12 and fake.stats.requests["comments"] == 12


def test_raw_comment_fields_come_from_the_raw_json(fake, client):
    post = fake.post(40, seed=5, reply_rate=0.5)
    _, store = _run(client, post)
    raw = post.comment_by_id()
    for (network, cid), comment in store.comments.items():
        item = raw[cid]
        assert network == "ig" and comment.post_ref == str(post.media_pk)
        assert comment.user_id == str(item["user"]["pk"])
        assert comment.username == item["user"]["username"]
        assert comment.text == item["text"]
        assert comment.created_at == datetime.fromtimestamp(item["created_at_utc"], timezone.utc)
        assert comment.parent_id == item.get("parent_comment_id")
    assert any(c.parent_id for c in store.comments.values())


def test_replies_are_counted_only_when_asked(fake, client):
    post = fake.post(300, seed=8, reply_rate=0.3, max_replies=14)
    assert len(post.reply_ids()) > 100
    with_replies, store = _run(client, post)
    assert store.ids() == post.all_ids()
    assert with_replies.comments == len(post.comments) + len(post.reply_ids())
    without, store = _run(client, post, include_replies=False)
    assert without.complete and store.ids() == post.top_level_ids()


def test_reply_threads_starting_mid_thread_follow_both_cursors(fake, client):
    post = fake.post(50, seed=9, reply_rate=0.5, max_replies=17, reply_anchor="middle")
    _, store = _run(client, post)
    assert store.ids() == post.all_ids()


def test_replies_use_get_with_query_cursors(fake, client):
    # instagrapi's media_comment_replies_chunk would POST the cursor: the fake refuses POST.
    post = fake.post(10, seed=4, reply_rate=1.0, max_replies=12)
    result, store = _run(client, post)
    assert result.complete and not result.errors and store.ids() == post.all_ids()


def test_a_looping_end_cursor_stops_with_a_note(fake, client, sleeps):
    post = fake.post(100, seed=3, page_size=20, end_loop=True)
    result, store = _run(client, post, sleeps=sleeps)
    assert result.complete and store.ids() == post.all_ids()
    assert store.notes == ["repeated_cursor:max"] == result.notes
    assert len(sleeps) == 2  # retried twice before believing it


def test_resume_after_kill_at_every_page_gives_the_exact_set(fake, client):
    post = fake.post(80, seed=6, page_size=20, anchor=30, reply_rate=0.15)
    total = _run(client, post)[0].pages
    for kill_after in range(0, total):
        store = Store(fail_after=kill_after)
        with pytest.raises(KeyboardInterrupt):
            _run(client, post, store=store)
        store.fail_after = None
        result, _ = _run(client, post, store=store, cursor=store.cursor)
        assert result.complete
        assert store.ids() == post.all_ids() and store.offered_twice == 0, kill_after


def test_resuming_a_finished_run_fetches_nothing(fake, client):
    post = fake.post(30, seed=7)
    first, store = _run(client, post)
    before = dict(fake.stats.requests)
    again, _ = _run(client, post, store=store, cursor=first.cursor)
    assert again.complete and again.comments == 0
    assert fake.stats.requests["comments"] == before["comments"]


def test_cursor_of_another_post_is_refused(fake, client):
    one, two = fake.post(10, seed=1), fake.post(10, seed=2)
    cursor = _run(client, one)[0].cursor
    source = InstagramCommentSource(client, resolve_post(client, two.url))
    with pytest.raises(ValueError):
        next(source.pages(cursor))


def test_duplicates_across_pages_are_delivered_once(fake, client):
    post = fake.post(60, seed=12, page_size=20)
    post.comments.insert(25, dict(post.comments[3]))  # Instagram serves a comment twice
    result, store = _run(client, post)
    assert result.comments == 60 and store.offered_twice == 0


def test_bad_page_keeps_the_raw_json(fake, client):
    post = fake.post(20, seed=13)
    fake.faults.add("missing_user_pk", at={1})
    source = InstagramCommentSource(client, resolve_post(client, post.url))
    with pytest.raises(BadPage) as caught:
        next(source.pages(None))
    assert caught.value.reason == "invalid_item"
    assert caught.value.raw["comments"][0]["text"] == post.comments[0]["text"]


def test_endless_empty_pages_end_the_direction_with_a_note(fake, client):
    post = fake.post(100, seed=14, page_size=20)
    fake.faults.add("empty_page", at=range(3, 1000))
    result, store = _run(client, post)
    assert result.complete and result.notes == ["no_progress:max"]
    assert len(store.ids()) == 40 and fake.stats.requests["comments"] == 2 + 25


def test_a_post_without_comments_is_one_empty_final_page(fake, client):
    post = fake.post(0, seed=15, comments_disabled=True)
    result, store = _run(client, post)
    assert result.complete and result.pages == 1 and not store.comments


def test_a_vanished_reply_thread_is_noted_not_fatal(fake, client):
    post = fake.post(40, seed=16, reply_rate=0.5)
    gone = next(iter(post.replies))
    lost = {str(r["pk"]) for r in post.replies.pop(gone)}  # the fake now answers 404
    result, store = _run(client, post)
    assert result.complete and result.notes == [f"replies_not_found:{gone}"]
    assert store.ids() == post.all_ids() and not lost & store.ids()


def test_gzip_answers_including_cut_and_truncated_ones(fake, client, sleeps):
    fake.gzip = True
    post = fake.post(200, seed=17, page_size=20, reply_rate=0.2)
    fake.faults.add("cut", at={3})
    fake.faults.add("truncated", at={6})
    result, store = _run(client, post, sleeps=sleeps)
    assert result.complete and store.ids() == post.all_ids() and len(result.errors) == 2
