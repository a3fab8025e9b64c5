"""The partner dashboard's chart in a real browser, under the page's strict CSP."""
import re

from test_dashboard import contest, live_server  # noqa: F401  (fixtures)

from conftest import PASSWORD


def test_chart_renders_in_chromium_under_the_csp(contest, live_server, browser):  # noqa: F811
    """The page keeps the strict policy; the chart's own policy lets its inline style apply."""
    page = browser.new_page()
    try:
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{live_server}/login")
        page.fill("input[name=email]", "wine@test.fr")
        page.fill("input[name=password]", PASSWORD)
        page.press("input[name=password]", "Enter")
        page.wait_for_url(re.compile(r".*/dashboard/"))
        page.goto(f"{live_server}/dashboard/contests/coffret-noel")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.querySelector('figure img').naturalWidth") == 960
        page.goto(f"{live_server}/dashboard/contests/coffret-noel/chart.svg")
        fill = page.evaluate("getComputedStyle(document.querySelector('.serie-0 rect.rect'))"
                             ".fill")
        assert fill == "rgb(74, 111, 165)"  # pygal's inline <style> applied
        assert not [e for e in errors if "Content Security Policy" in e], errors
    finally:
        page.close()
