"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server."""

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in the test thread; Django's ORM calls in the same test are still
    # synchronous, so tell Django not to refuse them, while the browser lives only (tests/conftest.py runs the
    # browser tests last, so no other test runs with this set).
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open pages in fresh browser contexts, optionally logged in as a user (through a real session cookie)."""
    contexts = []

    def open_page(user=None):
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        if user is not None:
            from django.test import Client

            client = Client()
            client.force_login(user)
            cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
            context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def legend(page) -> dict:
    """The reading view's legend: {"tags": {slug: id}, "annotators": {user id: username}}."""
    return page.evaluate("() => JSON.parse(document.getElementById('reader-legend').textContent)")


def tag_class(page, slug: str) -> str:
    """The class of the highlights whose innermost tag is `slug`."""
    return f"t{legend(page)['tags'][slug]}"


def tag_marks(page, *slugs: str):
    """The highlights covered by the tags `slugs` (outermost first): one slug, a piece of that tag alone."""
    tags = legend(page)["tags"]
    if len(slugs) == 1:
        return page.locator(f"#document-text mark.t{tags[slugs[0]]}:not(.d2, .d3)")
    return page.locator(f"#document-text mark.o{tags[slugs[0]]}.t{tags[slugs[-1]]}")
