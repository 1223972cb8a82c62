"""Accessibility checked by a machine too: axe-core (through axe-playwright-python) on every page
each demo role reaches, at 390×844; no serious or critical violation is allowed, and every tap
target (buttons, fields, folds, the menu) is at least 44×44 px (WCAG 2.5.5). Pages are found by
following the role's own links from its home page, plus the forms and error pages it meets.
"""
import argparse
import json
import os
import re
import sys
from urllib.parse import urlparse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from live_screen import CHROMIUM_CANDIDATES, wait_for_server  # noqa: E402
from phone import SMALL_TARGETS_JS, TARGETS  # noqa: E402

ROLES = ["quay12.nganro", "bql.nganro", "canbo.trande", "admin", "to.daian2", "totruong.daian2"]
BLOCKING = {"serious", "critical"}
# Pages that are not pages a person reads: files, feeds, actions.
SKIP = re.compile(r"\.(xlsx|csv|png|svg|pdf)(\?|$)|/api/|/logout|/hooks/|/events")
PER_ROLE_LIMIT = 40


def sign_in(page, base, username):
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", "chosodemo")
    page.click("button.primary")


def same_site_links(page, base):
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    found = []
    for href in hrefs:
        if not href or href.startswith(("#", "mailto:", "tel:")) or SKIP.search(href):
            continue
        url = urlparse(href if href.startswith("http") else base + (href if href.startswith("/") else "/" + href))
        if url.netloc != urlparse(base).netloc:
            continue
        # One page of each kind: a stall's pages with different ids read the same template.
        found.append(url.path + (("?" + url.query) if url.query else ""))
    return found


def shape(path):
    return re.sub(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f-]{27}", "{id}", path.split("?")[0])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8080")
    parser.add_argument("--out", default="artifacts/screenshots")
    args = parser.parse_args()
    base = args.base
    os.makedirs(args.out, exist_ok=True)
    wait_for_server(base)
    axe = Axe()
    report, failures, checked = {}, [], 0

    executable = next(path for path in CHROMIUM_CANDIDATES if os.path.exists(path))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"], headless=True)

        def check(page, role, label):
            nonlocal checked
            checked += 1
            violations = axe.run(page).response["violations"]
            report.setdefault(role, {})[label] = [(v["id"], v["impact"], len(v["nodes"])) for v in violations]
            for small in page.evaluate(SMALL_TARGETS_JS, TARGETS):
                failures.append(f"{role} {label}: a tap target of {small['w']}×{small['h']} px: {small['what']}")
            for violation in violations:
                if violation["impact"] in BLOCKING:
                    targets = [node["target"] for node in violation["nodes"][:3]]
                    failures.append(f"{role} {label}: {violation['id']} ({violation['impact']}) {violation['help']} at {targets}")

        # Signed out: the sign-in page, its error, the public check page, an error page.
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
        page = context.new_page()
        page.goto(base + "/login")
        check(page, "guest", "/login")
        page.fill("#username", "nobody")
        page.fill("#password", "wrong")
        page.click("button.primary")
        check(page, "guest", "/login (refused)")
        page.goto(base + "/kiem-tra")
        check(page, "guest", "/kiem-tra")
        page.goto(base + "/no-such-page")
        check(page, "guest", "404")
        context.close()

        for role in ROLES:
            context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", service_workers="block")
            page = context.new_page()
            page.set_default_timeout(10_000)
            sign_in(page, base, role)
            queue, visited = [urlparse(page.url).path], {}
            while queue and len(visited) < PER_ROLE_LIMIT:
                path = queue.pop(0)
                if shape(path) in visited:
                    continue
                visited[shape(path)] = path
                response = page.goto(base + path)
                if response is None or not response.headers.get("content-type", "").startswith("text/html"):
                    continue
                check(page, role, shape(path))
                queue.extend(p for p in same_site_links(page, base) if shape(p) not in visited)
            # The header's menu, open.
            page.goto(base + "/")
            page.click(".menu summary")
            check(page, role, "/ (menu open)")
            # A form refused: the till with an amount it cannot take shows its error.
            till = visited.get("/stalls/{id}/today")
            if till and page.goto(base + till) and page.locator("#amount").count():
                page.fill("#amount", "1,5")
                page.click("#make-qr")
                check(page, role, "/stalls/{id}/today (amount refused)")
            context.close()
        browser.close()

    with open(os.path.join(args.out, "axe-report.json"), "w") as file:
        json.dump(report, file, ensure_ascii=False, indent=1)
    minor = sum(1 for role in report.values() for found in role.values() for item in found if item[1] not in BLOCKING)
    if failures:
        print("\n".join(failures))
        raise SystemExit(f"axe-core: {len(failures)} serious or critical violations on {checked} pages")
    print(f"browser test passed: axe-core on {checked} pages for {len(ROLES)} roles and a guest, 0 serious or critical ({minor} minor or moderate, in axe-report.json)")


if __name__ == "__main__":
    main()
