"""Every page each role reaches by links meets one bar, in English and Russian, on a phone
and on a laptop:

- it does not scroll sideways (wide tables scroll inside their own container);
- axe-core finds no serious or critical accessibility violation;
- the browser console shows no error and no Content-Security-Policy violation;
- in Russian, no piece of the interface is left in English (demo data aside).

The demo data is loaded once; the pages are found by following links from each role's
home page (one page per URL pattern; a page another role already reached is checked once,
except the home page, which differs per role); the checks run in parallel browser contexts
of one chromium. Sideways scrolling and the console are checked on both screens; axe-core
and the Russian text, which do not depend on the width, on the laptop screen only.
"""

from __future__ import annotations

import asyncio
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve

from tests.browser.conftest import CHROMIUM
from tests.conftest import _needs

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "servicecraft-demo"
ROLES = {"staff": "olga", "hr": "hr", "manager": "manager", "admin": "admin"}
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 900}}
LANGUAGES = ("en", "ru")
# While fixing pages, a developer may narrow the walk, e.g. SC_WALK=en,laptop (CI walks everything).
_NARROW = set(filter(None, os.environ.get("SC_WALK", "").split(",")))
if _NARROW:
    VIEWPORTS = {name: size for name, size in VIEWPORTS.items() if name in _NARROW} or VIEWPORTS
    LANGUAGES = tuple(language for language in LANGUAGES if language in _NARROW) or LANGUAGES
CONCURRENCY = 3
# Links that are not pages to check: they sign out, download a file or leave the product.
SKIPPED = re.compile(
    r"^/(accounts/logout|admin/|i18n/|healthz)|\.(csv|xlsx|ics|png|svg|json|pdf)(\?|$)|/export|/charts/|/qr"
)
# Text that is not the interface: product and technical names, codes, and a language switch's
# names of the languages in their own language ("English" on a Russian page).
TECHNICAL = re.compile(
    r"^(servicecraft|English|Excel|CSV|XLSX|PDF|SVG|PNG|NPS|CSAT|ISO|API|JSON|SMTP|IMAP|QR|HTML|URL|ID|OK|"
    r"[A-Z]{2,}-\d+|[\w.+-]+@[\w.-]+|\d[\d\s.,:/%–-]*)$"
)


@dataclass(frozen=True)
class Check:
    role: str
    language: str
    viewport: str
    path: str


def _demo_strings() -> set[str]:
    """Names and texts of the demo data, which stay as they were typed (in English)."""
    from django.apps import apps

    found: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            # Codes stored in choice fields ("new", "yes") are not demo text.
            if getattr(field, "choices", None):
                continue
            if getattr(field, "get_internal_type", lambda: "")() in {"CharField", "TextField"}:
                values = model.objects.values_list(field.name, flat=True).distinct()[:2000]
                found |= {
                    value.strip() for value in values if isinstance(value, str) and len(value.strip()) >= 4
                }
    return found


def _route_of(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.route


async def _login(browser, base_url: str, username: str, language: str):
    context = await browser.new_context(base_url=base_url)
    await context.add_cookies([{"name": "django_language", "value": language, "url": base_url}])
    page = await context.new_page()
    await page.goto("/accounts/login/")
    await page.fill("input[name=username]", username)
    await page.fill("input[name=password]", PASSWORD)
    async with page.expect_navigation():
        await page.click("main form button[type=submit]")
    # Signing in switches to the person's profile language; the walk then picks its language in
    # the interface, as a person who reads the other one would (the cookie the switch sets).
    await context.add_cookies([{"name": "django_language", "value": language, "url": base_url}])
    state = await context.storage_state()
    await context.close()
    return state


async def _reachable_pages(browser, base_url: str, state) -> list[str]:
    """Pages found by following links from the home page, one per URL pattern."""
    context = await browser.new_context(base_url=base_url, storage_state=state)
    page = await context.new_page()
    seen_routes: set[str] = set()
    queue, found = ["/"], []
    while queue and len(found) < 80:
        path = queue.pop(0)
        route = _route_of(path)
        if route is None or route in seen_routes:
            continue
        seen_routes.add(route)
        response = await page.goto(path)
        if response is None or response.status >= 400 or not page.url.startswith(base_url):
            continue
        found.append(path)
        hrefs = await page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
        for href in hrefs:
            if href and href.startswith("/") and not href.startswith("//") and not SKIPPED.search(href):
                queue.append(href.split("#")[0])
    await context.close()
    return found


async def _check(browser, base_url: str, state, check: Check, axe: str, demo: set[str]):
    context = await browser.new_context(
        base_url=base_url, storage_state=state, viewport=VIEWPORTS[check.viewport]
    )
    page = await context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    problems: list[str] = []
    where = f"{check.role} {check.language} {check.viewport} {check.path}"
    try:
        response = await page.goto(check.path)
        if response is None or response.status >= 400:
            problems.append(f"{where}: status {response.status if response else 'none'}")
            return problems
        overflow = await page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 1:
            problems.append(f"{where}: scrolls sideways by {overflow}px")
        problems += [f"{where}: console {error[:200]}" for error in errors]
        if check.viewport != "laptop":
            return problems
        await page.evaluate(axe)
        violations = await page.evaluate(
            "axe.run(document, {resultTypes: ['violations'], runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}).then(r => r.violations"
            ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
            ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')))"
        )
        problems += [f"{where}: axe {violation}" for violation in violations]
        # A preview in a language chosen on purpose (?language=en) is not the interface's text.
        if check.language == "ru" and "language=" not in check.path:
            texts = await page.evaluate(
                "Array.from(document.querySelectorAll('nav a, button, label, th, h1, h2, h3, h4, legend, "
                ".btn, .badge, .form-text, option, .nav-link, .dropdown-item, caption, summary'))"
                ".filter(e => e.offsetParent !== null).map(e => e.innerText.trim())"
            )
            for text in texts:
                if _is_untranslated(text, demo):
                    problems.append(f"{where}: English in Russian: {text[:80]!r}")
    finally:
        await context.close()
    return problems


def _is_untranslated(text: str, demo: set[str]) -> bool:
    if not text or not re.search(r"[A-Za-z]{3,}", text) or re.search(r"[А-Яа-яЁё]", text):
        return False
    if TECHNICAL.match(text):
        return False
    # Demo data (names of departments, people, standards; complaint texts) is left as typed.
    return not any(
        text == value or (len(value) >= 6 and value in text) or (len(text) >= 6 and text in value)
        for value in demo
    )


async def _walk(base_url: str, demo: set[str]) -> list[str]:
    from playwright.async_api import async_playwright

    axe = AXE.read_text()
    problems: list[str] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        )
        checks: list[tuple[dict, Check]] = []
        checked_routes: set[str] = set()
        for role, username in ROLES.items():
            states = {language: await _login(browser, base_url, username, language) for language in LANGUAGES}
            for path in await _reachable_pages(browser, base_url, states[LANGUAGES[0]]):
                route = _route_of(path)
                if route in checked_routes and path != "/":
                    continue
                checked_routes.add(route)
                for language in LANGUAGES:
                    for viewport in VIEWPORTS:
                        checks.append((states[language], Check(role, language, viewport, path)))
        limit = asyncio.Semaphore(CONCURRENCY)

        async def run(state, check):
            async with limit:
                return await _check(browser, base_url, state, check, axe, demo)

        for found in await asyncio.gather(*(run(state, check) for state, check in checks)):
            problems += found
        await browser.close()
    assert len(checks) >= 30 * len(LANGUAGES) * len(VIEWPORTS), (
        f"only {len(checks)} checks: the crawl found too little"
    )
    return problems


def test_it_meets_the_bar_on_every_page_for_every_role(live_server, transactional_db):
    _needs("chromium at /usr/bin/chromium", Path(CHROMIUM).exists())
    call_command("seed_demo", stdout=io.StringIO())
    demo = _demo_strings()
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        problems = asyncio.run(_walk(live_server.url, demo))
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(sorted(set(problems)))
