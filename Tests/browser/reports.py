"""The market board's dashboard and the stall keeper's day close, in a real headless Chromium.

Against the seeded demo (a month of activity at Ngan Rô): the market manager opens the dashboard,
reads the cashless share and the stall counts (checked against the JSON API), looks at it on a phone
and on a projector, downloads the Excel export by stall and the CSV by day; LibreOffice converts
the Excel file to CSV and PDF and every number is checked against the API. The same
dashboard serves the cashless street. The keeper of stall 12
opens yesterday's day close from the till, compares it with the API and prints it; the dashboard
is not theirs. Fails on the first thing that is not as a user would expect.
"""
import argparse
import csv
import io
import os
import re
import subprocess
import sys
import tempfile

from playwright.sync_api import expect, sync_playwright

sys.path.insert(0, os.path.dirname(__file__))
from market_manager import CHROMIUM_CANDIDATES, wait_for_server  # noqa: E402


def share_text(transfers, cash):
    """Vietnamese "69,1 %" the way ChoSo rounds it (tenths of a percent, half up)."""
    if transfers + cash == 0:
        return "—"
    permille = int(transfers * 1000 / (transfers + cash) + 0.5)
    return f"{permille // 10},{permille % 10} %"


def money(amount):
    return f"{amount:,}".replace(",", ".") + " đ"


def libreoffice_to_csv(xlsx_path, workdir):
    """The spreadsheet as LibreOffice reads it, written back as UTF-8 CSV."""
    profile = f"file://{workdir}/lo-profile"
    # The last option off: cells as stored (typed numbers, ratios, day numbers), not as formatted.
    for target in ["csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false", "pdf"]:
        subprocess.run(
            ["libreoffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", target, "--outdir", workdir, xlsx_path],
            check=True, capture_output=True, timeout=120)
    base = os.path.splitext(os.path.basename(xlsx_path))[0]
    with open(os.path.join(workdir, base + ".pdf"), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-", "LibreOffice made a PDF of the export"
    with open(os.path.join(workdir, base + ".csv"), encoding="utf-8") as converted:
        return list(csv.reader(converted))


def check_stall_rows(rows, summary, where, typed=False):
    header = next(i for i, row in enumerate(rows) if row and row[0] == "STT")
    assert re.fullmatch(r"Trần Đề, ngày \d\d tháng \d\d năm \d{4}", rows[1][0]), f"{where}: official heading, got {rows[1][0]!r}"
    by_number = {stall["number"]: stall for stall in summary["byStall"]}
    body = [row for row in rows[header + 1:] if row and row[0].strip()]
    assert len(body) == len(by_number), f"{where}: {len(body)} stall rows for {len(by_number)} stalls"
    for row in body:
        stall = by_number[row[1]]
        got = [int(float(cell)) for cell in row[6:12]]
        want = [stall["transfers"]["count"], stall["transfers"]["amount"], stall["cash"]["count"], stall["cash"]["amount"],
                stall["owed"]["count"], stall["owed"]["amount"]]
        assert got == want, f"{where}: stall {row[1]}: {got} != {want}"
    total = next(row for row in rows if len(row) > 1 and row[1] == "Tổng cộng")
    got = [int(float(cell)) for cell in total[4:12]]
    want = [summary["stalls"]["withQrBoard"], summary["stalls"]["qrBoardHandedOver"], summary["transfers"]["count"],
            summary["transfers"]["amount"], summary["cash"]["count"], summary["cash"]["amount"], summary["owed"]["count"], summary["owed"]["amount"]]
    assert got == want, f"{where}: total {got} != {want}"
    transfers, cash = summary["transfers"]["amount"], summary["cash"]["amount"]
    if typed:
        # A typed percentage: the ratio itself, which LibreOffice shows as "95,2 %".
        # LibreOffice writes the stored ratio at full precision, with the cell's percent format.
        cell = total[12].strip()
        ratio = float(cell[:-1]) / 100 if cell.endswith("%") else float(cell)
        assert abs(ratio - transfers / (transfers + cash)) < 1e-9, f"{where}: share {total[12]}"
    else:
        assert total[12] == share_text(transfers, cash), f"{where}: share {total[12]}"


def sign_in(page, base, username):
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", "chosodemo")
    page.click("button.primary")
    expect(page).not_to_have_url(re.compile(r"/login"))
    # An earlier script may have left this user in English; these checks read Vietnamese.
    if page.locator("html").get_attribute("lang") != "vi":
        page.click(".menu summary")  # language and sign-out are in the header\'s menu
        page.click("button:has-text(\'Tiếng Việt\')")
        expect(page.locator("html")).to_have_attribute("lang", "vi")


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
    workdir = tempfile.mkdtemp(prefix="choso-reports-")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"], headless=True)
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(15_000)

        # The market manager: from the market's page to its figures.
        sign_in(page, args.base, "bql.nganro")
        expect(page.locator("h1")).to_have_text("Chợ Ngan Rô")
        page.click("text=Số liệu & báo cáo")
        expect(page.locator("h1")).to_contain_text("Số liệu · Chợ Ngan Rô")
        market_id = re.search(r"/markets/([0-9A-Fa-f-]{36})/dashboard", page.url).group(1)
        api = page.request.get(f"{args.base}/api/v1/markets/{market_id}/summary")
        assert api.ok, api.status
        summary = api.json()
        assert summary["transfers"]["count"] > 5000, f"a month of demo activity, got {summary['transfers']['count']} transfers"
        share = share_text(summary["transfers"]["amount"], summary["cash"]["amount"])
        expect(page.locator("#cashless-share strong")).to_have_text(share)
        stall_tiles = page.locator("#stall-tiles .tile strong")
        expect(stall_tiles.nth(0)).to_have_text(str(summary["stalls"]["total"]))
        expect(stall_tiles.nth(1)).to_have_text(str(summary["stalls"]["withQrBoard"]))
        expect(stall_tiles.nth(3)).to_have_text(str(summary["stalls"]["activeLast7Days"]))
        expect(stall_tiles.nth(4)).to_have_text(str(summary["stalls"]["activeLast30Days"]))
        expect(page.locator("#money-tiles .tile strong").first).to_have_text(money(summary["transfers"]["amount"]))
        expect(page.locator("#inactive-stalls li")).to_have_count(len(summary["inactiveStallIds"]))
        expect(page.locator("svg.chart")).to_have_count(3)
        # Every chart fits the phone's width: nothing to scroll sideways but the wide tables.
        widths = page.evaluate("Array.from(document.querySelectorAll('svg.chart')).map(svg => svg.getBoundingClientRect().width)")
        assert all(0 < width <= 390 for width in widths), widths
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the dashboard fits the phone's width"
        page.screenshot(path=f"{args.out}/dashboard-phone.png")
        projector = context.new_page()
        projector.set_viewport_size({"width": 1920, "height": 1080})
        projector.goto(page.url)
        expect(projector.locator("#cashless-share strong")).to_have_text(share)
        projector.screenshot(path=f"{args.out}/dashboard-projector.png")
        projector.close()

        # The Excel export by stall, opened by LibreOffice: the same numbers as the API.
        with page.expect_download() as download_info:
            page.click("text=Tải Excel theo quầy")
        download = download_info.value
        assert download.suggested_filename.endswith(".xlsx"), download.suggested_filename
        xlsx_path = os.path.join(workdir, "theo-quay.xlsx")
        download.save_as(xlsx_path)
        check_stall_rows(libreoffice_to_csv(xlsx_path, workdir), summary, "XLSX via LibreOffice", typed=True)
        os.makedirs("artifacts", exist_ok=True)
        download.save_as("artifacts/dashboard-export.xlsx")

        # The CSV by day: every day of the range, adding up to the total.
        with page.expect_download() as download_info:
            page.click("text=CSV theo ngày")
        with open(download_info.value.path(), encoding="utf-8-sig") as days_file:
            day_rows = list(csv.reader(io.StringIO(days_file.read())))
        body = [row for row in day_rows if row and row[0].isdigit()]
        assert len(body) == len(summary["byDay"]), f"{len(body)} days for {len(summary['byDay'])}"
        assert sum(int(row[4]) for row in body) == summary["transfers"]["amount"]
        assert sum(int(row[6]) for row in body) == summary["cash"]["amount"]

        # Another range: the last 7 days.
        page.click("text=7 ngày")
        expect(page.locator("#day-figures tbody tr")).to_have_count(7)
        page.click(".menu summary")  # language and sign-out are in the header\'s menu
        page.click("button:has-text(\'Đăng xuất\')")

        # The same dashboard for the cashless street (another commune: the administrator looks).
        sign_in(page, args.base, "admin")
        page.goto(args.base + "/markets")
        page.click("text=Đoạn đường thanh toán không dùng tiền mặt Lịch Hội Thượng")
        page.click("text=Số liệu & báo cáo")
        expect(page.locator("h1")).to_contain_text("Lịch Hội Thượng")
        street_id = re.search(r"/markets/([0-9A-Fa-f-]{36})/dashboard", page.url).group(1)
        street = page.request.get(f"{args.base}/api/v1/markets/{street_id}/summary").json()
        assert street["kind"] == "street" and street["stalls"]["total"] == 20, street["stalls"]
        expect(page.locator("#cashless-share strong")).to_have_text(share_text(street["transfers"]["amount"], street["cash"]["amount"]))
        page.screenshot(path=f"{args.out}/dashboard-street.png")
        page.click(".menu summary")  # language and sign-out are in the header\'s menu
        page.click("button:has-text(\'Đăng xuất\')")

        # The keeper of stall 12: yesterday's day close, from the till.
        sign_in(page, args.base, "quay12.nganro")
        page.click("text=Chốt sổ cuối ngày")
        expect(page.locator("h1")).to_contain_text("Chốt sổ")
        page.click("text=← Hôm trước")
        expect(page).to_have_url(re.compile(r"/close\?date=\d{4}-\d\d-\d\d"))
        stall_id, day = re.search(r"/stalls/([0-9A-Fa-f-]{36})/close\?date=([\d-]+)", page.url).groups()
        day_summary = page.request.get(f"{args.base}/api/v1/stalls/{stall_id}/summary?date={day}").json()
        tiles = page.locator("#day-totals .tile strong")
        expect(tiles.nth(0)).to_have_text(money(day_summary["transfers"]["amount"]))
        expect(tiles.nth(1)).to_have_text(money(day_summary["cash"]["amount"]))
        expect(tiles.nth(2)).to_have_text(money(day_summary["owed"]["amount"]))
        assert day_summary["transfers"]["count"] > 0, "the demo keeper sold by transfer yesterday"
        entries = day_summary["transfers"]["count"] + day_summary["cash"]["count"] + day_summary["owed"]["count"]
        expect(page.locator("#entries tbody tr")).to_have_count(entries)
        expect(page.locator("#last7 tbody tr")).to_have_count(7)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the day close fits the phone's width"
        page.screenshot(path=f"{args.out}/day-close-phone.png", full_page=True)
        page.emulate_media(media="print")
        expect(page.locator("form.report-controls")).to_be_hidden()
        page.screenshot(path=f"{args.out}/day-close-print.png", full_page=True)
        page.pdf(path="artifacts/day-close.pdf", format="A4")
        page.emulate_media(media="screen")
        # The market's figures are not the keeper's to see.
        response = page.goto(f"{args.base}/markets/{market_id}/dashboard")
        assert response.status == 404, response.status
        browser.close()
    print(f"browser test passed: dashboard (share {share}, {summary['transfers']['count']} transfers) on phone and projector, "
          "XLSX through LibreOffice and CSV checked against the API, the keeper's day close and its print, dashboard refused to a keeper")


if __name__ == "__main__":
    main()
