"""The market board's first day with ChoSo, in a real headless Chromium.

Signs in as the demo market manager of Ngan Rô, adds a stall paid through Viettel Money,
fixes a form mistake, edits the stall, finds it in the list, connects a payment notification
service and sends it a test, previews a statement with a bad row, is kept out of the admin pages,
switches to English and signs out. Fails on the first thing that is not as a user would expect.
"""
import argparse
import os
import re
import sys
import time
import urllib.request

from playwright.sync_api import expect, sync_playwright

CHROMIUM_CANDIDATES = ["/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/lib/chromium/chromium-headless-shell"]


def wait_for_server(base):
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1) as response:
                if response.status == 200:
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
    executable = next((path for path in CHROMIUM_CANDIDATES if os.path.exists(path)), None)
    if executable is None:
        sys.exit("no Chromium found; run scripts/install-deps.sh test")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"], headless=True)
        page = browser.new_page(viewport={"width": 390, "height": 844}, locale="vi-VN")
        page.set_default_timeout(10_000)

        # Sign in: the market manager lands on the stall list of their market.
        page.goto(args.base + "/")
        expect(page).to_have_url(re.compile(r"/login"))
        expect(page.locator("h1")).to_have_text("Đăng nhập")
        page.fill("#username", "bql.nganro")
        page.fill("#password", "sai-mat-khau")
        page.click("button.primary")
        expect(page.locator(".error")).to_contain_text("Sai tên đăng nhập hoặc mật khẩu")
        page.fill("#password", "chosodemo")
        page.click("button.primary")
        expect(page.locator("h1")).to_have_text("Chợ Ngan Rô")
        expect(page.locator("h2").first).to_contain_text("Danh sách quầy (50)")
        market_url = page.url
        page.screenshot(path=f"{args.out}/stall-list-phone.png")
        desktop = browser.new_page(viewport={"width": 1200, "height": 860}, locale="vi-VN")
        desktop.context.add_cookies(page.context.cookies())
        desktop.goto(market_url)
        desktop.screenshot(path=f"{args.out}/stall-list.png")
        desktop.close()

        # Add a stall with a Viettel Money account.
        page.click("text=+ Thêm quầy")
        expect(page.locator("h1")).to_have_text("Thêm quầy mới")
        page.fill("#number", "51")
        page.fill("#name", "Nước mía Cô Tư")
        page.fill("#trade", "Nước giải khát")
        page.fill("#keeperName", "Trần Thị Tư")
        page.fill("#phone", "0918 222 333")
        page.check('input[name="account[kind]"][value=mobile_money]')
        page.select_option("#account_bin", "971005")
        page.fill("#account_accountNumber", "0918-222-333")  # a typing mistake: hyphens
        page.fill("#account_holderName", "Trần Thị Tư")
        page.click("button.primary")
        expect(page.locator(".field-error")).to_have_text("Số tài khoản chỉ gồm chữ và số, tối đa 19 ký tự")
        expect(page.locator("#name")).to_have_value("Nước mía Cô Tư")
        page.screenshot(path=f"{args.out}/stall-form-error.png", full_page=True)
        page.fill("#account_accountNumber", "0918222333")
        page.click("button.primary")
        expect(page.locator(".notice")).to_contain_text("Đã thêm quầy 51 — Nước mía Cô Tư.")
        expect(page.locator(".card .title").first).to_contain_text("Viettel Money")
        expect(page.locator("li.card").first).to_contain_text("TRAN THI TU")

        # Edit it.
        page.click("text=Sửa")
        page.fill("#name", "")
        page.click("button.primary")
        expect(page.locator(".field-error")).to_contain_text("Tên quầy là bắt buộc")
        page.fill("#name", "Nước mía sầu riêng Cô Tư")
        page.click("button.primary")
        expect(page.locator(".notice")).to_contain_text("Đã lưu quầy 51.")
        expect(page.locator("h1")).to_contain_text("Nước mía sầu riêng Cô Tư")
        page.screenshot(path=f"{args.out}/stall-detail.png", full_page=True)

        # It is in the list, with its account.
        page.goto(market_url)
        expect(page.locator("h2").first).to_contain_text("Danh sách quầy (51)")
        card = page.locator("li.card", has_text="Nước mía sầu riêng Cô Tư")
        expect(card).to_contain_text("Viettel Money · 0918222333 · TRAN THI TU")

        # Money: connect a notification service, send a test, preview a statement.
        page.goto(market_url)
        page.click("text=Tiền về & đối soát")
        expect(page.locator("#connections h2")).to_contain_text("Kết nối nhận báo có")
        page.select_option("#provider", "generic:hmac")
        page.click("#connections form.card button.primary")
        expect(page.locator("#shown")).to_contain_text("chỉ hiện một lần")
        expect(page.locator("#shown")).to_contain_text("/hooks/generic/")
        page.click("#connections li.card button:has-text('Gửi thử')")
        expect(page.locator("#shown")).to_contain_text("chữ ký đúng")
        expect(page.locator("#shown")).to_contain_text("Không lưu gì.")
        page.set_input_files("#statement-file", files=[{
            "name": "saoke.csv", "mimeType": "text/csv",
            "buffer": "time,amount,description,reference\n25/11/2026 09:00:00,45.000,mua xoai,FT1\n25/11/2026 09:05:00,abc,sai,FT2\n".encode(),
        }])
        page.click("button:has-text('Xem trước')")
        expect(page.locator("#shown")).to_contain_text("Dòng 3")
        page.screenshot(path=f"{args.out}/intake.png", full_page=True)

        # Administration is not for the market board.
        response = page.goto(args.base + "/admin/users")
        assert response.status == 403, f"admin page answered {response.status}"
        expect(page.locator(".error")).to_contain_text("Bạn không có quyền làm việc này")

        # English on request, remembered across pages.
        page.goto(market_url)
        page.click(".menu summary")  # language and sign-out are in the header\'s menu
        page.click("button:has-text(\'English\')")
        expect(page.locator("a.button.primary")).to_contain_text("Add a stall")
        page.goto(market_url)
        expect(page.locator("html")).to_have_attribute("lang", "en")

        # Sign out.
        page.click(".menu summary")  # language and sign-out are in the header\'s menu
        page.click("button:has-text(\'Sign out\')")
        expect(page).to_have_url(re.compile(r"/login"))
        page.goto(market_url)
        expect(page).to_have_url(re.compile(r"/login"))
        browser.close()
    print("browser test passed: sign-in, add stall with Viettel Money, form errors, edit, list, connection + test, statement preview, admin refused, English, sign-out")


if __name__ == "__main__":
    main()
