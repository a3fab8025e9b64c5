"""The guide « Premier jeu-concours »: the « Aide » menu leads staff to it, rendered with its
screenshots; the copy the package ships is the guide of docs/ (no two diverging versions)."""
import re
from pathlib import Path

import pytest

from giveaway.main.help import GUIDE, render_guide

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
STATIC_GUIDE = ROOT / "giveaway" / "static" / "guide"
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)]+)\)")


def test_the_package_ships_the_guide_of_docs_unchanged():
    """docs/ is what people edit and GitHub shows; `make guide-copy` updates the package."""
    assert GUIDE.read_bytes() == (DOCS / "guide-fr.md").read_bytes(), "run make guide-copy"
    shots = sorted(p.name for p in (DOCS / "guide").glob("*.png"))
    assert shots == sorted(p.name for p in STATIC_GUIDE.glob("*.png")), "run make guide-copy"
    for name in shots:
        assert (DOCS / "guide" / name).read_bytes() == (STATIC_GUIDE / name).read_bytes(), name


def test_every_screenshot_of_the_guide_exists_and_is_used():
    links = IMAGE.findall((DOCS / "guide-fr.md").read_text("utf-8"))
    assert len(links) >= 10 and all(link.startswith("guide/") for link in links)
    assert sorted(link.removeprefix("guide/") for link in links) == sorted(
        p.name for p in (DOCS / "guide").glob("*.png"))
    assert sum(p.stat().st_size for p in (DOCS / "guide").glob("*.png")) < 2_000_000


def test_staff_find_the_guide_in_the_help_menu(client, auth):
    auth.login()
    home = client.get("/").get_data(as_text=True)
    assert '<a class="nav-link text-nowrap" href="/help/">Aide</a>' in home
    page = client.get("/help/").get_data(as_text=True)
    assert "<h1>Premier jeu-concours</h1>" in page and 'lang="fr"' in page
    sources = re.findall(r'<img [^>]*src="([^"]+)"', page)
    assert len(sources) == len(IMAGE.findall(GUIDE.read_text("utf-8")))
    for source in sources:
        assert source.startswith("/static/guide/")
        image = client.get(source)
        assert image.status_code == 200 and image.mimetype == "image/png"


def test_in_english_the_page_says_the_guide_is_in_french(client, auth):
    auth.login()
    client.post("/language/en")
    page = client.get("/help/").get_data(as_text=True)
    assert "This guide exists in French only." in page and '<article class="guide col-lg-9" ' \
        'lang="fr">' in page


@pytest.mark.parametrize("email", ["wine@test.fr", None])
def test_partners_and_visitors_do_not_get_the_staff_guide(client, auth, email):
    if email:
        auth.login(email)
        assert client.get("/help/").status_code == 403
        assert "/help/" not in client.get("/dashboard/").get_data(as_text=True)
    else:
        assert client.get("/help/").headers["Location"].startswith("/login")


def test_the_renderer_keeps_only_the_guides_own_images_and_safe_markup(app):
    with app.test_request_context():
        html = str(render_guide(
            "![ok](guide/01-partenaire.png) ![far](https://evil.example/x.png) "
            "![up](guide/../../secret.png) ![js](javascript:alert(1))\n\n"
            "<script>alert(1)</script> <img src=x onerror=alert(1)> [lien](javascript:alert(1))"))
    assert 'src="/static/guide/01-partenaire.png"' in html
    assert "evil.example" not in html and "secret" not in html and "javascript" not in html
    assert "<script" not in html and "onerror" not in html and 'src="x"' not in html
