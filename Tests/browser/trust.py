"""Trust in the money path, as people use it (issue 12), in a real headless Chromium:

- a double tap on "Bán tiền mặt" over a slow phone link (600 ms, 400 kbit/s) records one sale;
- 200 đ arrives for a 200.000 đ request: the request page asks for the rest with the same code,
  and once it arrives says the request is paid, and the day close no longer lists what was owed;
- the two-person rule through the pages: one board member asks to stop the stall's account,
  nothing changes until the second member (bql2.nganro) confirms on the stall's page.
"""
import argparse
import os
import sys

from playwright.sync_api import expect, sync_playwright

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from live_screen import CHROMIUM_CANDIDATES, SECRET, api, send_webhook, token, wait_for_server  # noqa: E402


def sign_in(context, base, username):
    page = context.new_page()
    page.set_default_timeout(15_000)
    # What cannot be undone with one tap asks first: the questions are kept and answered "OK".
    page.questions = []
    page.on("dialog", lambda dialog: (page.questions.append(dialog.message), dialog.accept()))
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", "chosodemo")
    page.click("button.primary")
    page.wait_for_load_state()
    return page


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--out", default="artifacts/screenshots")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    wait_for_server(args.base)
    base = args.base

    board = token(base, "bql.nganro")
    market = api(base, "GET", "/api/v1/markets", token=board)[1][0]["id"]
    _, connection = api(base, "POST", "/api/v1/connections", token=board, body={"provider": "generic", "secret": SECRET, "marketId": market})
    hook = connection["webhookUrl"][connection["webhookUrl"].index("/hooks/"):]
    keeper = token(base, "quay12.nganro")
    stall = api(base, "GET", "/api/v1/me", token=keeper)[1]["scope"][0]
    account = [a for a in api(base, "GET", f"/api/v1/stalls/{stall}", token=keeper)[1]["accounts"] if a["active"]][0]

    executable = next(path for path in CHROMIUM_CANDIDATES if os.path.exists(path))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"], headless=True)

        # A double tap on a slow link: one cash sale.
        phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
        page = sign_in(phone, base, "quay12.nganro")
        page.goto(f"{base}/stalls/{stall}/today")
        cdp = phone.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": 600, "downloadThroughput": 400 * 1024 / 8, "uploadThroughput": 400 * 1024 / 8})
        before = len([e for e in api(base, "GET", f"/api/v1/stalls/{stall}/entries", token=keeper)[1]["entries"] if e["kind"] == "cash_sale"])
        page.fill("#amount", "37.000")
        cash_button = page.locator("button[formaction$='/cash-sales']")
        cash_button.click(no_wait_after=True)
        page.wait_for_timeout(400)
        cash_button.click(no_wait_after=True, force=True)
        page.wait_for_url(f"**/stalls/{stall}/today", timeout=30_000)
        page.wait_for_load_state("load", timeout=30_000)
        page.wait_for_timeout(1_500)
        after = len([e for e in api(base, "GET", f"/api/v1/stalls/{stall}/entries", token=keeper)[1]["entries"] if e["kind"] == "cash_sale"])
        assert after == before + 1, f"a double tap on a slow link recorded {after - before} cash sales"
        cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
        print("  double tap over 600 ms / 400 kbit/s: one cash sale")

        # Under-payment carried through.
        page.goto(f"{base}/stalls/{stall}/today")
        page.fill("#amount", "200.000")
        page.click("text=Tạo mã QR thu tiền")
        page.wait_for_url("**/payment-requests/**")
        code = page.locator(".code strong").inner_text()
        send_webhook(base, hook, account["accountNumber"], 200, f"MBVCB.1.{code}.CT tu A")
        # No timed refresh any more: the page follows the event stream and reloads when it arrives.
        expect(page.locator(".warning-box")).to_contain_text("199.800 đ", timeout=4_000)
        expect(page.locator(".warning-box")).to_contain_text("phần còn thiếu")
        page.screenshot(path=f"{args.out}/request-underpaid.png", full_page=True)
        request_url = page.url
        # Other tests may leave their own under-payments on this stall's day: count, do not assume.
        page.goto(f"{base}/stalls/{stall}/close")
        owed_before = page.locator("body").inner_text().count("còn thiếu 199.800")
        send_webhook(base, hook, account["accountNumber"], 199_800, f"{code} chuyen not")
        page.goto(request_url)
        expect(page.locator(".status-line")).to_contain_text("Đã nhận đủ")
        page.goto(f"{base}/stalls/{stall}/close")
        owed_after = page.locator("body").inner_text().count("còn thiếu 199.800")
        assert owed_after == owed_before - 1, f"the day close still lists the paid request as owed ({owed_before} → {owed_after})"
        expect(page.locator("body")).to_contain_text("sau đó đã trả đủ")
        print("  under-payment: the rest asked with the same code, then paid in full")
        phone.close()

        # The two-person rule through the pages.
        desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        first = sign_in(desk, base, "bql.nganro")
        first.goto(f"{base}/stalls/{stall}")
        first.click("text=Đề nghị ngừng dùng")
        expect(first.locator(".notice")).to_contain_text("Chưa có gì thay đổi")
        assert first.questions and "Một thành viên ban quản lý khác phải xác nhận" in first.questions[0], first.questions
        expect(first.locator("body")).to_contain_text("Đang chờ một người khác trong ban quản lý xác nhận")
        still = [a for a in api(base, "GET", f"/api/v1/stalls/{stall}", token=keeper)[1]["accounts"] if a["active"]]
        assert [a["id"] for a in still] == [account["id"]], "one board member alone changed where the money goes"
        first.close()
        desk.clear_cookies()
        second = sign_in(desk, base, "bql2.nganro")
        second.goto(f"{base}/stalls/{stall}")
        second.screenshot(path=f"{args.out}/two-person-pending.png", full_page=True)
        second.click("button:has-text('Xác nhận')")
        expect(second.locator(".notice")).to_contain_text("Đã xác nhận")
        now = [a for a in api(base, "GET", f"/api/v1/stalls/{stall}", token=keeper)[1]["accounts"] if a["active"]]
        assert not any(a["id"] == account["id"] for a in now), "the confirmed stop did not take effect"
        print("  two-person rule: one asks, nothing changes, the second confirms")
        browser.close()

    # The stall gets its account back the same way (one asks, the other confirms), for the scripts
    # that follow.
    _, change = api(base, "POST", f"/api/v1/accounts/{account['id']}/reactivate", token=token(base, "bql.nganro"))
    api(base, "POST", f"/api/v1/account-changes/{change['id']}/confirm", token=token(base, "bql2.nganro"))
    assert any(a["id"] == account["id"] for a in api(base, "GET", f"/api/v1/stalls/{stall}", token=keeper)[1]["accounts"] if a["active"])


if __name__ == "__main__":
    main()
