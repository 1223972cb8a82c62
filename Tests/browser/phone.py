"""The stall keeper's phone and the board's pages as an older trader and a busy board member find
them, at 390×844 in headless Chromium (issue 13).

Asserts: the till's amount, keypad and "Tạo mã QR thu tiền" in one screen without scrolling; a
one-line header; every tap target at least 44×44 px; amounts on one line; the debt form opening
itself on its error; a cash sale's note kept; the camera button only where the browser can scan;
the sound switch and the server's MP3 announcement after it; the bytes each page costs on a fresh
and on a warm cache; the request page following its payment without reloading on a timer; boards
printed one per sheet of A5 or A6. Screenshots and PDFs go to the output folder.
"""
import argparse
import os
import re
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from playwright.sync_api import expect, sync_playwright  # noqa: E402

from live_screen import CHROMIUM_CANDIDATES, SECRET, api, send_webhook, token, wait_for_server  # noqa: E402

PHONE = {"width": 390, "height": 844}
FIRST_LOAD_BUDGET = 15 * 1024
WARM_LOAD_BUDGET = 5 * 1024
AUDIO_BUDGET = 30 * 1024
# Everything a person taps: buttons, links styled as buttons, folds, fields (radios and check
# boxes are tapped through their labels), the menu's entries.
TARGETS = ("button, a.button, summary, select, input:not([type=hidden]):not([type=radio]):not([type=checkbox]), "
           ".menu-panel a, a.brand, .entries a, .cards a.title, .figures a")
SMALL_TARGETS_JS = """(selector) => Array.from(document.querySelectorAll(selector)).filter(el => {
  const box = el.getBoundingClientRect();
  return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden';
}).map(el => { const b = el.getBoundingClientRect(); return {what: el.outerHTML.slice(0, 80), w: Math.round(b.width), h: Math.round(b.height)}; })
  .filter(t => t.w < 44 || t.h < 44)"""
POINTS_PER_MM = 72 / 25.4


def sign_in(page, base, username):
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", "chosodemo")
    page.click("button.primary")
    expect(page).not_to_have_url(re.compile(r"/login"))


class ByteCounter:
    """Bytes on the wire for a page's own loads (Chrome DevTools Protocol), event streams aside."""

    def __init__(self, context, page):
        self.cdp = context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.streams, self.total, self.counting = set(), 0, False
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.loadingFinished", self._finished)

    def _response(self, event):
        if event["response"].get("mimeType") == "text/event-stream":
            self.streams.add(event["requestId"])

    def _finished(self, event):
        if self.counting and event["requestId"] not in self.streams:
            self.total += event["encodedDataLength"]

    def load(self, page, url):
        self.total, self.counting = 0, True
        page.goto(url, wait_until="load")
        page.wait_for_timeout(700)
        self.counting = False
        return self.total


def sign_in_quietly(context, base, username):
    """Signs the context in without loading a page, so its cache stays empty."""
    form = context.request.get(base + "/login").text()
    fields = dict(re.findall(r'name="(_csrf|_once)" value="([^"]*)"', form))
    response = context.request.post(base + "/login", form={**fields, "username": username, "password": "chosodemo"})
    assert response.ok, response.status


def page_weight(browser, base, username, url):
    """Fresh cache, then warm, for one page, in a context of its own. Service workers are kept
    out, so every byte is on the page's own network log (the live screen's worker only saves)."""
    context = browser.new_context(viewport=PHONE, locale="vi-VN", service_workers="block")
    page = context.new_page()
    sign_in_quietly(context, base, username)
    counter = ByteCounter(context, page)
    fresh = counter.load(page, url)
    warm = counter.load(page, url)
    context.close()
    return fresh, warm


def small_targets(page):
    return page.evaluate(SMALL_TARGETS_JS, TARGETS)


def pdf_pages(path):
    info = subprocess.run(["pdfinfo", "-l", "1000", path], capture_output=True, text=True, check=True).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)
    return [(float(w) / POINTS_PER_MM, float(h) / POINTS_PER_MM) for w, h in sizes]


def check_printed(page, url, out, name, size_mm, boards):
    page.goto(url)
    expect(page.locator("article.board").first).to_be_visible()
    path = f"{out}/{name}.pdf"
    page.pdf(path=path, prefer_css_page_size=True, print_background=True)
    sizes = pdf_pages(path)
    assert len(sizes) == boards, f"{name}: {len(sizes)} sheets for {boards} boards"
    for width, height in sizes:
        assert abs(width - size_mm[0]) < 1 and abs(height - size_mm[1]) < 1, f"{name}: a sheet of {width:.0f}×{height:.0f} mm"
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", path, f"{out}/{name}"], check=True)
    return len(sizes)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8080")
    parser.add_argument("--out", default="artifacts/screenshots")
    args = parser.parse_args()
    base, out = args.base, args.out
    os.makedirs(out, exist_ok=True)
    wait_for_server(base)

    board, keeper = token(base, "bql.nganro"), token(base, "quay12.nganro")
    market = api(base, "GET", "/api/v1/markets", token=board)[1][0]["id"]
    _, connection = api(base, "POST", "/api/v1/connections", token=board, body={"provider": "generic", "secret": SECRET, "marketId": market})
    hook = connection["webhookUrl"][connection["webhookUrl"].index("/hooks/"):]
    stall = api(base, "GET", "/api/v1/me", token=keeper)[1]["scope"][0]
    account = [a for a in api(base, "GET", f"/api/v1/stalls/{stall}", token=keeper)[1]["accounts"] if a["active"]][0]["accountNumber"]
    figures = {}

    executable = next(path for path in CHROMIUM_CANDIDATES if os.path.exists(path))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"], headless=True)

        # What each page costs over weak 4G, on a fresh and on a warm cache.
        _, request = api(base, "POST", f"/api/v1/stalls/{stall}/payment-requests", token=keeper, body={"amount": 45_000})
        for name, url in [("till", f"/stalls/{stall}/today"), ("live", f"/stalls/{stall}/live"), ("request", f"/payment-requests/{request['id']}")]:
            fresh, warm = page_weight(browser, base, "quay12.nganro", base + url)
            figures[name] = (fresh, warm)
            assert fresh <= FIRST_LOAD_BUDGET, f"{name}: {fresh} bytes on a fresh cache"
            assert warm <= WARM_LOAD_BUDGET, f"{name}: {warm} bytes on a warm cache"

        context = browser.new_context(viewport=PHONE, locale="vi-VN")
        page = context.new_page()
        page.set_default_timeout(10_000)
        sign_in(page, base, "quay12.nganro")
        page.goto(f"{base}/stalls/{stall}/today")

        # One line of header; the amount, the keypad and the QR button in the first screen.
        header = page.locator("header.bar").bounding_box()
        assert header["height"] <= 60, f"the header is {header['height']} px tall"
        for selector in ["#amount", ".keys", "#make-qr"]:
            box = page.locator(selector).bounding_box()
            assert box and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], f"{selector} at {box}"
        figures["qr-button-bottom"] = round(page.locator("#make-qr").bounding_box()["y"] + page.locator("#make-qr").bounding_box()["height"])
        assert page.evaluate("window.scrollY") == 0
        page.screenshot(path=f"{out}/phone-till.png")
        assert small_targets(page) == [], small_targets(page)
        page.click(".menu summary")
        expect(page.locator(".menu-panel")).to_be_visible()
        assert small_targets(page) == [], small_targets(page)
        page.screenshot(path=f"{out}/phone-menu.png")
        page.click(".menu summary")

        # The keypad rings up 1.234.000 đ; the QR button is reached without scrolling.
        for key in ["1", "2", "3", "4", "000"]:
            page.click(f".keys button[data-key='{key}']")
        expect(page.locator("#amount")).to_have_value("1.234.000")

        # A debt without a name: the form opens by itself with its error in view.
        page.fill("#amount", "30.000")
        page.click("#debt summary")
        page.click("#debt button")
        expect(page.locator("#debt")).to_have_attribute("open", "")
        expect(page.locator("#debt .field-error")).to_be_visible()
        # On the screen, not 900 px below it: the name field takes the focus and is scrolled to.
        expect(page.locator("#customerName")).to_be_in_viewport()
        expect(page.locator("#customerName")).to_be_focused()
        page.screenshot(path=f"{out}/phone-debt-error.png", full_page=True)

        # A cash sale's note is kept and shown; a large amount stays on one line with its "đ".
        page.goto(f"{base}/stalls/{stall}/today")
        page.fill("#amount", "9.875.000")
        page.fill("#note", "2 ký xoài")
        page.click("button:has-text('Bán tiền mặt')")
        expect(page.locator(".entries li").first).to_contain_text("2 ký xoài")
        for element in page.locator(".totals strong, .entries .what a, .entries .what").all():
            lines = element.evaluate("el => { const r = document.createRange(); r.selectNodeContents(el.querySelector('a,strong') || el.firstChild || el); return Array.from(r.getClientRects()).map(b => Math.round(b.top)); }")
            assert len(set(lines)) <= 1, f"an amount breaks across lines: {element.inner_text()!r}"

        # The camera button only where the browser can read QR codes (not desktop Chromium).
        page.goto(f"{base}/kiem-tra")
        page.wait_for_timeout(300)
        expect(page.locator("#scan")).to_be_hidden()

        # The request page follows its payment by the event stream: no timed reload.
        page.goto(f"{base}/payment-requests/{request['id']}")
        assert page.locator("meta[http-equiv=refresh]").count() == 0
        page.evaluate("window.__sameDocument = true")
        page.wait_for_timeout(6_000)
        assert page.evaluate("window.__sameDocument") is True, "the page reloaded by itself with nothing new"
        send_webhook(base, hook, account, 45_000, f"{request['code']} mua hang")
        expect(page.locator(".status-line")).to_contain_text("Đã nhận đủ", timeout=3_000)
        assert small_targets(page) == [], small_targets(page)
        page.screenshot(path=f"{out}/phone-request-paid.png", full_page=True)
        context.close()

        # The live screen with the phone's own voice missing: the server's MP3, after the switch.
        context = browser.new_context(viewport=PHONE, locale="vi-VN")
        context.add_init_script("try { window.speechSynthesis.getVoices = function () { return []; }; } catch (e) {}")
        page = context.new_page()
        sign_in(page, base, "quay12.nganro")
        sounds = []
        page.on("response", lambda response: sounds.append(response) if "/api/v1/speech" in response.url else None)
        page.goto(f"{base}/stalls/{stall}/live")
        switch = page.locator("#sound")
        expect(switch).to_contain_text("Loa đang TẮT")
        box = switch.bounding_box()
        assert box["height"] >= 56 and box["width"] >= 300 and box["y"] < 200, f"the sound switch is at {box}"
        assert small_targets(page) == [], small_targets(page)
        page.wait_for_timeout(500)
        send_webhook(base, hook, account, 15_000, "mua rau")
        expect(page.locator("#banner")).to_contain_text("Đã nhận mười lăm ngàn đồng")
        page.wait_for_timeout(300)
        assert sounds == [], "nothing plays before the switch"
        switch.click()
        expect(switch).to_contain_text("Loa đang BẬT")
        page.wait_for_function("document.getElementById('live').getAttribute('data-last-spoken') !== null")
        deadline = time.monotonic() + 5
        while not sounds and time.monotonic() < deadline:
            page.wait_for_timeout(100)
        assert sounds, "the waiting announcement is played once the sound is on"
        spoken = urllib.parse.unquote(sounds[0].headers.get("x-choso-spoken-text", ""))
        assert spoken.startswith("Đã nhận mười lăm ngàn đồng"), spoken
        assert sounds[0].headers["content-type"] == "audio/mpeg", sounds[0].headers["content-type"]
        audio = len(sounds[0].body())
        figures["audio"] = (spoken, audio)
        assert audio <= AUDIO_BUDGET, f"{audio} bytes for {spoken!r}"
        page.screenshot(path=f"{out}/phone-live-sound-on.png")
        context.close()

        # Boards: one sheet of the chosen size each, a batch one board per sheet.
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        page = context.new_page()
        sign_in(page, base, "bql.nganro")
        check_printed(page, f"{base}/stalls/{stall}/board?size=a5", out, "board-a5", (148, 210), 1)
        check_printed(page, f"{base}/stalls/{stall}/board?size=a6", out, "board-a6", (105, 148), 1)
        page.goto(f"{base}/markets/{market}/boards?size=a5")
        boards = page.locator("article.board").count()
        figures["batch"] = check_printed(page, f"{base}/markets/{market}/boards?size=a5", out, "boards-a5", (148, 210), boards)
        check_printed(page, f"{base}/markets/{market}/boards?size=a6", out, "boards-a6", (105, 148), boards)
        context.close()
        browser.close()

    for name, (fresh, warm) in ((k, v) for k, v in figures.items() if k in ("till", "live", "request")):
        print(f"  {name}: {fresh} bytes fresh, {warm} bytes warm")
    print(f"  announcement {figures['audio'][0]!r}: {figures['audio'][1]} bytes of MP3")
    print(f"  the QR button ends at {figures['qr-button-bottom']} px of 844; {figures['batch']} boards on {figures['batch']} A5 sheets")
    print("browser test passed: the phone at 390×844 (till in one screen, 44 px targets, sound switch, MP3, page weights) and boards on A5/A6")


if __name__ == "__main__":
    main()
