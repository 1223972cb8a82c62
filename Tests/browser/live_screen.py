"""The stall keeper's "Tiền đã về" screen on a phone-sized headless Chromium (390×844).

Also: installed (service worker), the screen reopens with no connection showing the last list,
the stall's QR and the "mất kết nối — đang chờ" marker.

The market board connects a generic webhook through the API; the keeper of stall 12 opens the live
screen; a signed webhook for the stall must show on the screen and reach the page's speech call
with the exact golden text within 1 second; with the network cut, two more payments are sent; on
reconnection both appear once each; the 200 đồng scam on a 200.000 đồng request raises the warning
in a red banner. `speechSynthesis` is wrapped so that the test hears what the page says.
"""
import argparse
import hashlib
import hmac
import json
import os
import sys
import time
import urllib.request
import uuid

from playwright.sync_api import expect, sync_playwright

CHROMIUM_CANDIDATES = ["/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/lib/chromium/chromium-headless-shell"]
SECRET = "browser-test-secret-0001"
# The page's voice: a Vietnamese voice is offered, and every utterance is recorded.
SPEECH_SPY = """
window.__spoken = [];
(function () {
  var voice = { lang: "vi-VN", name: "Kiểm thử", default: true, localService: true, voiceURI: "test" };
  try {
    window.speechSynthesis.getVoices = function () { return [voice]; };
    window.speechSynthesis.speak = function (utterance) { window.__spoken.push(utterance.text); };
  } catch (e) { window.__speechSpyFailed = String(e); }
})();
"""


def api(base, method, path, token=None, body=None, headers=None, raw=None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    with urllib.request.urlopen(request, timeout=10) as response:
        text = response.read().decode()
        return response.status, (json.loads(text) if text.strip().startswith(("{", "[")) else text)


def token(base, username):
    return api(base, "POST", "/api/v1/auth/tokens", body={"username": username, "password": "chosodemo"})[1]["token"]


def send_webhook(base, path, account, amount, description):
    body = json.dumps({
        "id": str(uuid.uuid4()), "accountNumber": account, "amount": amount, "direction": "in", "description": description,
        "counterAccountName": "NGUYEN VAN A", "time": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
    }, ensure_ascii=False).encode()
    t = str(int(time.time()))
    signature = hmac.new(SECRET.encode(), (t + ".").encode() + body, hashlib.sha256).hexdigest()
    status, _ = api(base, "POST", path, raw=body, headers={"X-ChoSo-Signature": f"t={t},v1={signature}"})
    assert status == 200, f"webhook answered {status}"
    return time.monotonic()


def wait_for_server(base):
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit("the server did not answer /healthz within 60 s")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--out", default="artifacts/screenshots")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    wait_for_server(args.base)
    base = args.base

    # The market board connects ChoSo's generic webhook for Ngan Rô.
    board = token(base, "bql.nganro")
    market = api(base, "GET", "/api/v1/markets", token=board)[1][0]["id"]
    _, connection = api(base, "POST", "/api/v1/connections", token=board,
                        body={"provider": "generic", "secret": SECRET, "marketId": market})
    hook = connection["webhookUrl"][connection["webhookUrl"].index("/hooks/"):]
    keeper = token(base, "quay12.nganro")
    stall = api(base, "GET", "/api/v1/me", token=keeper)[1]["scope"][0]
    account = [a for a in api(base, "GET", f"/api/v1/stalls/{stall}", token=keeper)[1]["accounts"] if a["active"]][0]["accountNumber"]

    executable = next(path for path in CHROMIUM_CANDIDATES if os.path.exists(path))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"], headless=True)
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
        context.add_init_script(SPEECH_SPY)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(base + "/login")
        page.fill("#username", "quay12.nganro")
        page.fill("#password", "chosodemo")
        page.click("button.primary")
        page.click("text=Tiền đã về")
        expect(page.locator("h1")).to_contain_text("Trái cây Cô Ba")
        assert page.evaluate("window.__speechSpyFailed") is None, page.evaluate("window.__speechSpyFailed")
        page.wait_for_timeout(500)  # the event stream opens

        # Browsers play sound only after a tap: the switch says the sound is off.
        expect(page.locator("#sound")).to_contain_text("Loa đang TẮT")
        expect(page.locator("#sound")).to_have_attribute("aria-pressed", "false")
        page.screenshot(path=f"{args.out}/live-sound-off.png")

        # One payment before the sound is on: on screen within a second, not spoken yet, and not
        # lost: turning the sound on speaks it, once, with the golden words.
        sent_wall = time.time()
        sent = send_webhook(base, hook, account, 200_000, "mua trai cay")
        expect(page.locator("#banner")).to_contain_text("Đã nhận hai trăm ngàn đồng", timeout=1_000)
        elapsed = time.monotonic() - sent
        page.wait_for_timeout(300)
        assert page.evaluate("window.__spoken") == [], "nothing is spoken before the sound is on"
        page.click("#sound")
        page.wait_for_function("window.__spoken.length >= 1", timeout=1_000)
        spoken = page.evaluate("window.__spoken")
        assert spoken == ["Đã nhận hai trăm ngàn đồng từ NGUYEN VAN A"], spoken
        expect(page.locator("#sound")).to_contain_text("Loa đang BẬT")
        expect(page.locator("#sound")).to_have_attribute("aria-pressed", "true")
        expect(page.locator("#credits li").first).to_contain_text("200.000 đ")
        # The payment was sent a moment ago: the minute may have turned since.
        shown = page.locator("#credits li .time").first.inner_text().strip()
        minutes = {time.strftime("%H:%M", time.gmtime(moment + 7 * 3600)) for moment in (sent_wall, time.time())}
        assert shown in minutes, f"credit time {shown!r} is Vietnam's clock {sorted(minutes)}"
        page.screenshot(path=f"{args.out}/live-payment.png", full_page=True)
        print(f"  webhook → screen: {elapsed * 1000:.0f} ms; spoken when the sound was turned on")

        # No network: two more payments; back online, both arrive once each.
        before = page.locator("#credits li").count()
        context.set_offline(True)
        page.evaluate("window.dispatchEvent(new Event('offline'))")
        expect(page.locator("#connection")).to_be_visible()
        expect(page.locator("#connection")).to_contain_text("Mất kết nối — đang chờ")
        page.screenshot(path=f"{args.out}/live-offline.png", full_page=True)
        send_webhook(base, hook, account, 35_000, "mua chuoi")
        send_webhook(base, hook, account, 50_000, "mua xoai")
        context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        page.wait_for_function("window.__spoken.length >= 3", timeout=15_000)
        page.wait_for_timeout(1_000)
        spoken = page.evaluate("window.__spoken")
        assert spoken[1:] == ["Đã nhận ba mươi lăm ngàn đồng từ NGUYEN VAN A", "Đã nhận năm mươi ngàn đồng từ NGUYEN VAN A"], spoken
        assert page.locator("#credits li").count() == before + 2, "each missed payment shows once"
        expect(page.locator("#connection")).to_be_hidden()

        # Installed and opened with no connection: the last copy of the screen, its QR, and the marker.
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.reload()
        page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=5_000)
        page.reload()
        context.set_offline(True)
        page.reload()
        expect(page.locator("h1")).to_contain_text("Trái cây Cô Ba")
        expect(page.locator("#connection")).to_be_visible()
        page.locator("details.card summary", has_text="Mã QR của quầy").click()
        page.wait_for_function("document.getElementById('static-qr').naturalWidth > 0", timeout=5_000)
        assert page.locator("#credits li").count() >= before + 2, "the last known list is shown offline"
        page.screenshot(path=f"{args.out}/live-offline-reload.png", full_page=True)
        context.set_offline(False)
        page.reload()
        expect(page.locator("#connection")).to_be_hidden()
        page.wait_for_timeout(500)
        # A new page needs a new tap; with nothing waiting, the phone says the sound is on.
        page.click("#sound")
        page.wait_for_function("window.__spoken.length >= 1", timeout=1_000)
        assert page.evaluate("window.__spoken") == ["Đã bật loa"], page.evaluate("window.__spoken")

        # The scam: 200 đồng with the code of a 200.000 đồng request.
        _, request = api(base, "POST", f"/api/v1/stalls/{stall}/payment-requests", token=keeper, body={"amount": 200_000})
        send_webhook(base, hook, account, 200, f"MBVCB.3278907687.{request['code']}.CT tu 0123 NGUYEN VAN A")
        page.wait_for_function("window.__spoken.length >= 2", timeout=2_000)
        warning = page.evaluate("window.__spoken[window.__spoken.length - 1]")
        assert warning == "Cảnh báo: khách chuyển thiếu, nhận hai trăm đồng, còn thiếu một trăm chín mươi chín ngàn tám trăm đồng", warning
        expect(page.locator("#banner")).to_have_class("banner banner-warning")
        expect(page.locator("#banner")).to_contain_text("còn thiếu một trăm chín mươi chín ngàn tám trăm đồng")
        page.screenshot(path=f"{args.out}/live-underpaid.png", full_page=True)
        browser.close()
    print("browser test passed: live screen at 390×844 — payment shown within 1 s and spoken once the sound switch is on, offline catch-up once each, under-payment warning in red")


if __name__ == "__main__":
    main()
