"""A stall keeper's morning at Ngan Rô, on a phone-sized headless Chromium (390×844).

Signs in as the demo keeper of stall 12, prints the QR board, checks the board's code on the check
page (it belongs to the stall), checks a stranger's code (red warning), asks for 50.000 đ, reads
the QR back from a screenshot with zbarimg (amount and payment code inside), records a cash sale,
and finds both in today's list. Every page must weigh under 60 KB transferred, with an empty cache.
"""
import argparse
import binascii
import os
import re
import subprocess
import sys

from playwright.sync_api import expect, sync_playwright

from market_manager import CHROMIUM_CANDIDATES, wait_for_server

PAGE_BUDGET = 60 * 1024


def stranger_payload():
    """A VietQR for an account no stall registered (MBBank 0999888777), CRC by binascii."""
    body = ("00020101021138540010A00000072701240006970422011009998887770208QRIBFTTA"
            "53037045802VN6304")
    return body + "%04X" % binascii.crc_hqx(body.encode(), 0xFFFF)


def zbar(path):
    result = subprocess.run(["zbarimg", "--raw", "-q", path], capture_output=True, text=True)
    assert result.returncode == 0, f"zbarimg found no QR code in {path}"
    return result.stdout.strip()


class Weigher:
    """Bytes transferred for one page load: document, styles, scripts, images."""

    def __init__(self, page):
        self.total = 0
        page.on("requestfinished", self.add)

    def add(self, request):
        sizes = request.sizes()
        self.total += sizes["responseBodySize"] + sizes["responseHeadersSize"]

    def measure(self, name, page, action, weights):
        self.total = 0
        action()
        page.wait_for_load_state("networkidle")
        weights[name] = self.total
        assert self.total < PAGE_BUDGET, f"{name} weighs {self.total} bytes, over {PAGE_BUDGET}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--out", default="artifacts/screenshots")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    wait_for_server(args.base)
    executable = next(path for path in CHROMIUM_CANDIDATES if os.path.exists(path))
    weights = {}

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"], headless=True)
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
        page = context.new_page()
        page.set_default_timeout(10_000)
        weigher = Weigher(page)

        page.goto(args.base + "/login")
        page.fill("#username", "quay12.nganro")
        page.fill("#password", "chosodemo")
        weigher.measure("today (after sign-in)", page, lambda: page.click("button.primary"), weights)
        expect(page.locator("h1")).to_contain_text("Trái cây Cô Ba")
        today_url = page.url
        page.screenshot(path=f"{args.out}/keeper-today.png", full_page=True)

        # Print the board and record it.
        weigher.measure("QR board", page, lambda: page.click("text=In bảng QR"), weights)
        expect(page.locator(".board-stall")).to_contain_text("Trái cây Cô Ba")
        expect(page.locator(".board-holder")).to_contain_text("NGUYEN THI BA")
        page.click("text=Ghi nhận đã in")
        expect(page.locator(".notice")).to_contain_text("Đã ghi nhận bảng QR được in.")
        page.locator(".board-qr").screenshot(path=f"{args.out}/keeper-board-qr.png")
        page.screenshot(path=f"{args.out}/keeper-board.png", full_page=True)
        board_payload = zbar(f"{args.out}/keeper-board-qr.png")
        assert board_payload.startswith("000201010211"), board_payload

        # Morning check: the board pays into this stall.
        page.goto(today_url)
        weigher.measure("check page", page, lambda: page.click("text=Kiểm tra bảng QR của tôi"), weights)
        page.fill("#payload", board_payload)
        page.click("button.primary")
        expect(page.locator(".ok-box")).to_contain_text("Mã này thuộc quầy 12")
        page.screenshot(path=f"{args.out}/keeper-check-own.png", full_page=True)

        # A stranger's code pasted over the board: red.
        page.fill("#payload", stranger_payload())
        page.click("button.primary")
        expect(page.locator(".danger-box")).to_contain_text("không được đăng ký cho quầy nào")
        page.screenshot(path=f"{args.out}/keeper-check-stranger.png", full_page=True)

        # Ask for 50.000 đ on the keypad.
        page.goto(today_url)
        for key in ["5", "0", "000"]:
            page.click(f"button[data-key='{key}']")
        expect(page.locator("#amount")).to_have_value("50.000")
        weigher.measure("payment request", page, lambda: page.click("text=Tạo mã QR thu tiền"), weights)
        expect(page.locator(".request-amount")).to_have_text("50.000 đ")
        expect(page.locator(".words")).to_have_text("năm mươi ngàn đồng")
        code = page.locator(".code strong").inner_text()
        assert re.fullmatch(r"CS[0-9A-Z]{7}", code), code
        page.screenshot(path=f"{args.out}/keeper-request.png")
        request_payload = zbar(f"{args.out}/keeper-request.png")
        assert "5405" + "50000" in request_payload, request_payload
        assert code in request_payload, (code, request_payload)

        # A cash sale of 20.000 đ.
        page.click("text=Bán tiếp")
        page.fill("#amount", "20000")
        page.click("text=Bán tiền mặt")
        expect(page.locator(".notice")).to_contain_text("Đã ghi bán tiền mặt 20.000 đ.")

        # Both in today's list, newest first, and the cash total.
        entries = page.locator(".entry")
        expect(entries).to_have_count(2)
        expect(entries.nth(0)).to_contain_text("20.000 đ")
        expect(entries.nth(0)).to_contain_text("Tiền mặt")
        expect(entries.nth(1)).to_contain_text("50.000 đ")
        expect(entries.nth(1)).to_contain_text("Đang chờ tiền")
        expect(page.locator(".totals")).to_contain_text("20.000 đ")
        page.screenshot(path=f"{args.out}/keeper-today-after.png", full_page=True)
        browser.close()

    for name, size in weights.items():
        print(f"  {name}: {size / 1024:.1f} KB transferred")
    print("browser test passed: board printed and checked, stranger's code refused, 50.000 đ request read back by zbarimg, cash sale listed")


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(__file__))
    main()
