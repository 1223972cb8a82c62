"""The commune officer's indicators, in a real headless Chromium at 390×844 (issue 17).

canbo.trande opens the indicators for today: Xã Trần Đề with its hamlets, the former Đại Ân 2
beside it (the former communes add up to the new one), the same figures as the API. They freeze
last month, download the Excel report — LibreOffice reads it and its figures match the API's
frozen report — and the CSV. A team member then syncs a household visited last month: the frozen
report shows late data, and a new version lists what changed. Screenshots on a phone and a
projector. Fails on the first thing that is not as a user would expect.
"""
import argparse
import csv
import datetime
import io
import os
import re
import sys
import tempfile
import uuid
from zoneinfo import ZoneInfo

from playwright.sync_api import expect, sync_playwright

sys.path.insert(0, os.path.dirname(__file__))
from market_manager import CHROMIUM_CANDIDATES, wait_for_server  # noqa: E402
from live_screen import api, token  # noqa: E402
from reports import libreoffice_to_csv, sign_in  # noqa: E402

TRAN_DE = "31673@2025-07-01"


def indicator_rows(rows):
    """Report rows by indicator name: (Chỉ tiêu, Thực hiện, Tỷ lệ, n / N note)."""
    header = next(i for i, row in enumerate(rows) if row and row[0] == "STT")
    assert rows[header][:6] == ["STT", "Tên chỉ tiêu", "ĐVT", "Chỉ tiêu", "Thực hiện", "Tỷ lệ (%)"], rows[header]
    return {row[1]: row for row in rows[header + 1:] if row and row[0].isdigit()}


def check_against_api(rows, report, catalogue, where):
    assert rows[0][-1] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" or "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in rows[0], f"{where}: national header"
    assert any("Độc lập - Tự do - Hạnh phúc" in cell for cell in rows[1]), f"{where}: motto"
    assert any(re.search(r"ngày \d\d tháng \d\d năm \d{4}", cell) for cell in rows[2]), f"{where}: place and date"
    assert any("Người lập biểu" in cell for row in rows for cell in row), f"{where}: signature block"
    by_name = indicator_rows(rows)
    figures = {figure["code"]: figure for figure in report["figures"]["unit"]["indicators"]}
    assert len(by_name) == len(catalogue), f"{where}: {len(by_name)} rows for {len(catalogue)} indicators"
    for definition in catalogue:
        row, figure = by_name[definition["name"]], figures[definition["code"]]
        if definition["unit"] == "percent":
            if figure["denominator"]:
                assert row[6].startswith(f"{figure['numerator']} / {figure['denominator']}"), f"{where} {definition['code']}: {row[6]!r} vs {figure}"
        else:
            assert row[4] == str(figure["numerator"]), f"{where} {definition['code']}: {row[4]!r} vs {figure['numerator']}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8080")
    parser.add_argument("--out", default="artifacts/screenshots")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    wait_for_server(args.base)
    executable = next((path for path in CHROMIUM_CANDIDATES if os.path.exists(path)), None)
    if executable is None:
        sys.exit("no Chromium found; run scripts/install-deps.sh test")
    workdir = tempfile.mkdtemp(prefix="choso-indicators-")
    today = datetime.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    last_month_end = today.replace(day=1) - datetime.timedelta(days=1)
    last_month = last_month_end.strftime("%Y-%m")
    officer = token(args.base, "canbo.trande")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"], headless=True)
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(15_000)
        sign_in(page, args.base, "canbo.trande")
        page.click(".menu summary")
        page.click(".menu-panel nav >> text=Chỉ tiêu")
        expect(page).to_have_url(re.compile(r"/indicators/31673@2025-07-01$"))
        expect(page.locator("h1")).to_have_text("Chỉ tiêu chuyển đổi số: Xã Trần Đề")

        # The same figures as the API, for the commune and its hamlet with the team's households.
        status, live = api(args.base, "GET", f"/api/v1/units/{TRAN_DE}/indicators", officer)
        assert status == 200, live
        total = page.locator("#units ~ div tr.total, div.table-scroll tr.total").first
        xh01 = next(f for f in live["unit"]["indicators"] if f["code"] == "XH-01")
        assert xh01["numerator"] > 0, f"the demo team's households count: {xh01}"
        expect(total.locator("td").nth(1)).to_contain_text(f"{xh01['numerator']} / {xh01['denominator']:,}".replace(",", "."))
        # The former Đại Ân 2 is there beside the new commune, and the former communes add up to it.
        expect(page.locator("#former")).to_be_visible()
        former_row = page.locator("tr[data-unit='31672']")
        expect(former_row).to_contain_text("Xã Đại Ân 2")
        status, old = api(args.base, "GET", "/api/v1/units/31672/indicators?tree=before-2025-07-01", officer)
        assert status == 200, old
        old_total = sum(next(f for f in api(args.base, "GET", f"/api/v1/units/{code}/indicators?tree=before-2025-07-01", officer)[1]["unit"]["indicators"]
                             if f["code"] == "XH-01")["numerator"] for code in ["31672", "31673", "31681"])
        assert old_total == xh01["numerator"], f"former communes {old_total} vs Xã Trần Đề {xh01['numerator']}"
        widths = page.evaluate("Array.from(document.querySelectorAll('svg.chart')).map(svg => svg.getBoundingClientRect().width)")
        assert widths and all(0 < width <= 390 for width in widths), widths
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the page fits the phone; only the tables scroll sideways"
        page.screenshot(path=f"{args.out}/indicators-phone.png", full_page=True)
        projector = context.new_page()
        projector.set_viewport_size({"width": 1920, "height": 1080})
        projector.goto(page.url)
        expect(projector.locator("h1")).to_contain_text("Xã Trần Đề")
        projector.screenshot(path=f"{args.out}/indicators-projector.png")
        projector.close()

        # Drill down: the hamlet with the team's households.
        page.click("tr[data-unit='31672-1@2025-07-01'] th")  # a hamlet has no page below it
        # Freeze last month.
        expect(page.locator("#freeze-period")).to_have_value(last_month)
        page.click("#freeze-form button[type=submit]")
        expect(page).to_have_url(re.compile(r"/indicators/reports/[0-9a-f-]{36}$"))
        expect(page.locator(".notice")).to_contain_text("Đã chốt số liệu")
        expect(page.locator("#late")).to_have_count(0)
        report_id = page.url.rsplit("/", 1)[1]
        status, report = api(args.base, "GET", f"/api/v1/indicator-reports/{report_id}", officer)
        assert status == 200 and report["late"] is False and report["report"]["period"] == last_month, report
        status, catalogue = api(args.base, "GET", "/api/v1/indicators", officer)
        # A double tap on freeze makes no second version.
        status, again = api(args.base, "POST", f"/api/v1/units/{TRAN_DE}/indicator-reports", officer, {"period": last_month})
        assert status == 200 and again["version"] == 1, (status, again)

        # The Excel report, as LibreOffice reads it, and the CSV: the frozen figures.
        with page.expect_download() as download_info:
            page.click("#download-xlsx")
        xlsx_path = os.path.join(workdir, "chi-tieu.xlsx")
        download_info.value.save_as(xlsx_path)
        check_against_api(libreoffice_to_csv(xlsx_path, workdir), report, catalogue, "XLSX via LibreOffice")
        os.makedirs("artifacts", exist_ok=True)
        download_info.value.save_as("artifacts/indicators-report.xlsx")
        with page.expect_download() as download_info:
            page.click("#download-csv")
        with open(download_info.value.path(), encoding="utf-8-sig") as csv_file:
            check_against_api(list(csv.reader(io.StringIO(csv_file.read()))), report, catalogue, "CSV")

        # A household visited last month reaches the server today: late for the frozen month.
        member = token(args.base, "to.daian2")
        household, visit = str(uuid.uuid4()), str(uuid.uuid4())
        status, synced = api(args.base, "POST", "/api/v1/sync", member, {"deviceId": "browser-late", "records": [
            {"type": "household", "id": household, "baseVersion": None, "hamlet": "31672-1@2025-07-01", "address": "99/9 ấp 1",
             "headName": "Kim Thị Muộn", "phone": None, "members": 3, "adults": 2, "language": "km",
             "checklist": {"smartphone": {"count": 1, "evidence": "seen"}}, "barriers": []},
            {"type": "visit", "id": visit, "household": household, "date": last_month_end.isoformat(), "help": ["install_payment_app"],
             "barriers": [], "outcome": "done", "note": "Gửi muộn"},
        ]})
        assert status == 200 and [r["status"] for r in synced["results"]] == ["stored", "stored"], synced
        page.reload()
        expect(page.locator("#late")).to_be_visible()
        expect(page.locator("#late")).to_contain_text("XH-05")
        page.screenshot(path=f"{args.out}/indicators-late.png", full_page=True)
        status, report = api(args.base, "GET", f"/api/v1/indicator-reports/{report_id}", officer)
        assert report["late"] is True and report["lateChanges"], report
        page.click("#refreeze button[type=submit]")
        expect(page.locator(".notice")).to_contain_text("bản 2")
        expect(page.locator("#changes")).to_contain_text("XH-05")
        expect(page.locator("#late")).to_have_count(0)
        browser.close()
    print("indicators: officer's table on both trees, freeze, Excel via LibreOffice, CSV, late data and a new version: OK")


if __name__ == "__main__":
    main()
