import pytest

from giveaway.core.paris import NonexistentLocalTime, paris_to_utc
from giveaway.core.post_urls import InvalidPostURL, parse_post_url


@pytest.mark.parametrize("url, canonical", [
    ("https://www.instagram.com/p/Cabc123XYZ/", "https://www.instagram.com/p/Cabc123XYZ/"),
    ("http://instagram.com/p/Cabc123XYZ?igsh=abc", "https://www.instagram.com/p/Cabc123XYZ/"),
    ("https://www.instagram.com/reel/DxYz987_-a/", "https://www.instagram.com/reel/DxYz987_-a/"),
    ("https://www.instagram.com/reels/DxYz987_-a/", "https://www.instagram.com/reel/DxYz987_-a/"),
    ("https://www.instagram.com/gers_tourisme/p/Cabc123XYZ/",
     "https://www.instagram.com/p/Cabc123XYZ/"),
])
def test_post_links_are_recognised(url, canonical):
    assert parse_post_url(url).canonical == canonical


@pytest.mark.parametrize("url", [
    "https://www.facebook.com/p/Cabc123XYZ/", "https://instagram.com/gers_tourisme/",
    "https://www.instagram.com/share/p/BAabcdefgh/", "javascript:alert(1)//instagram.com/p/x",
    "https://evil.example/instagram.com/p/Cabc123XYZ/", "https://www.instagram.com/p/ab/",
])
def test_other_links_are_refused(url):
    with pytest.raises(InvalidPostURL):
        parse_post_url(url)


def test_paris_wall_clock_time():
    from datetime import datetime
    assert paris_to_utc(datetime(2030, 1, 10, 9, 0)).hour == 8
    assert paris_to_utc(datetime(2030, 7, 10, 9, 0)).hour == 7
    with pytest.raises(NonexistentLocalTime):
        paris_to_utc(datetime(2030, 3, 31, 2, 30))
    assert paris_to_utc(datetime(2030, 10, 27, 2, 30)).hour == 0  # first of the two 02:30
