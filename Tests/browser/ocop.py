"""OCOP products (issue 16), as the commune officer and a buyer try them on a phone-sized headless
Chromium (390×844).

The officer imports a decision's annex made in LibreOffice (one bad row named, nothing imported;
fixed, previewed, imported), adds photos (a text file renamed .jpg is refused) and sees the
reminders; a buyer pays Gạo thơm ST25 from its page's VietQR (read back by zbarimg) by a signed
webhook, and the producer's live screen shows and speaks the full amount; a buyer's phone reads the packaging QR of a valid and of an expired product with
zbarimg and opens them (green with the stars; red, "đã hết hạn", no star). The Google feed parses
as XML with every required field, claims no expired star and is the same bytes twice; each
product page's JSON-LD is a Product with its Certification.
"""
import argparse
import csv
import json
import os
import re
import subprocess
import tempfile
import urllib.request
import xml.etree.ElementTree as ET

from playwright.sync_api import expect, sync_playwright

from live_screen import CHROMIUM_CANDIDATES, SECRET, SPEECH_SPY, api, send_webhook, token, wait_for_server
from reports import libreoffice_to_csv, sign_in
from stall_keeper import zbar

G = "{http://base.google.com/ns/1.0}"
HEADER = ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Phân nhóm", "Số sao"]
ROWS = [
    ["1", "Củ cải muối Đại Ân", "HTX Nông nghiệp Đại Ân 2", "ấp Ngan Rô", "I.3.b", "3"],
    ["2", "Lạp xưởng tươi", "Cơ sở lạp xưởng Trung Bình", "", "I.3.c", "4"],
]


def annex(workdir, name, rows):
    """An .xlsx made by LibreOffice from a CSV, as an officer's spreadsheet program would save it."""
    path = os.path.join(workdir, name + ".csv")
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["PHỤ LỤC: DANH SÁCH SẢN PHẨM ĐƯỢC CÔNG NHẬN OCOP"])
        writer.writerow(HEADER)
        writer.writerows(rows)
    subprocess.run(["libreoffice", "--headless", "--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir", workdir, path],
                   check=True, capture_output=True, timeout=120)
    return os.path.join(workdir, name + ".xlsx")


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers, response.read()


def json_ld(page):
    return json.loads(page.locator('script[type="application/ld+json"]').text_content())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--out", default="artifacts/screenshots")
    args = parser.parse_args()
    base, out = args.base, args.out
    os.makedirs(out, exist_ok=True)
    wait_for_server(base)
    workdir = tempfile.mkdtemp()
    phone = {"viewport": {"width": 390, "height": 844}, "locale": "vi-VN"}

    executable = next(path for path in CHROMIUM_CANDIDATES if os.path.exists(path))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"], headless=True)

        # The officer of Xã Trần Đề: reminders first.
        officer = browser.new_context(**phone).new_page()
        officer.set_default_timeout(20_000)
        sign_in(officer, base, "canbo.trande")
        officer.goto(base + "/ocop/register")
        expect(officer.locator("#reminders-expired")).to_contain_text("Tôm khô Trần Đề")
        expect(officer.locator("#reminders-within90")).to_contain_text("Khô cá kèo Đại Ân")
        officer.screenshot(path=f"{out}/ocop-register.png", full_page=True)

        # An annex with a bad row (6 stars): named, nothing imported.
        def send(path, action):
            officer.fill("#ocop-import input[name=number]", "2345/QĐ-UBND")
            officer.fill("#ocop-import input[name=date]", "2026-10-20")
            officer.fill("#ocop-import input[name=issuer]", "UBND thành phố Cần Thơ")
            officer.set_input_files("#ocop-import input[type=file]", path)
            officer.click(f"#ocop-import button[value={action}]")

        bad = [row[:] for row in ROWS]
        bad[1][5] = "6"
        send(annex(workdir, "sai", bad), "import")
        expect(officer.locator("#import-result")).to_contain_text("Dòng 4: số sao phải là 3, 4 hoặc 5")
        expect(officer.locator("#ocop-register")).not_to_contain_text("Lạp xưởng tươi")
        officer.screenshot(path=f"{out}/ocop-import-refused.png", full_page=True)
        fixed = annex(workdir, "dung", ROWS)
        send(fixed, "preview")
        expect(officer.locator("#import-result")).to_contain_text("chưa lưu gì")
        expect(officer.locator("#ocop-register")).not_to_contain_text("Lạp xưởng tươi")
        send(fixed, "import")
        expect(officer.locator("#import-result")).to_contain_text("sản phẩm mới: 2")
        expect(officer.locator("#ocop-register")).to_contain_text("Lạp xưởng tươi")

        # Photos: a text file renamed .jpg is refused with the reason; a real photo is taken.
        officer.goto(base + "/ocop/register/lap-xuong-tuoi")
        expect(officer.locator("#ocop-missing")).to_contain_text("Ảnh sản phẩm")
        fake = os.path.join(workdir, "anh.jpg")
        with open(fake, "w", encoding="utf-8") as handle:
            handle.write("Đây là chữ, không phải ảnh")
        officer.set_input_files("#ocop-photos input[type=file]", fake)
        officer.click("#ocop-photos button")
        expect(officer.locator("#photo-error")).to_contain_text("không phải ảnh JPEG, PNG hay WebP")
        # A phone camera's photo of about 5 MB (noise does not compress), as traders send them.
        photo = os.path.join(workdir, "lap-xuong.jpg")
        noise, grey = os.path.join(workdir, "noise.v"), os.path.join(workdir, "grey.v")
        subprocess.run(["vips", "gaussnoise", noise, "2400", "1800", "--sigma", "60"], check=True)
        subprocess.run(["vips", "cast", noise, grey, "uchar"], check=True)
        subprocess.run(["vips", "copy", grey, photo + "[Q=98]"], check=True)
        assert os.path.getsize(photo) > 3_000_000, os.path.getsize(photo)
        officer.set_input_files("#ocop-photos input[type=file]", photo)
        officer.click("#ocop-photos button")
        expect(officer.locator(".photo-row img")).to_have_count(1)
        expect(officer.locator("#ocop-missing")).not_to_contain_text("Ảnh sản phẩm")
        officer.screenshot(path=f"{out}/ocop-photos.png", full_page=True)

        # A buyer's phone reads the packaging QR of a valid and of an expired product.
        buyer = browser.new_context(**phone).new_page()
        buyer.set_default_timeout(15_000)
        for slug, valid in [("gao-thom-st25", True), ("tom-kho-tran-de", False)]:
            status, _, png = fetch(f"{base}/ocop/{slug}/qr.png")
            assert status == 200
            qr_path = os.path.join(workdir, f"{slug}.png")
            with open(qr_path, "wb") as handle:
                handle.write(png)
            link = zbar(qr_path)
            assert link.endswith(f"/ocop/{slug}/kiem-tra"), link
            buyer.goto(base + link[link.index("/ocop/"):])
            verdict = buyer.locator("#ocop-verdict")
            if valid:
                expect(verdict).to_have_class("success-box")
                expect(verdict).to_contain_text("Sản phẩm OCOP 5★ — còn hiệu lực đến")
            else:
                expect(verdict).to_have_class("error-box")
                expect(verdict).to_contain_text("đã hết hạn")
                assert "★" not in verdict.text_content()
                color = verdict.evaluate("element => getComputedStyle(element).color")
                assert color == "rgb(179, 38, 30)", f"the expired verdict is {color}, not red"
            buyer.screenshot(path=f"{out}/ocop-check-{'valid' if valid else 'expired'}.png", full_page=True)

            # The product page and its structured data agree with the check.
            buyer.goto(f"{base}/ocop/{slug}")
            width = buyer.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"/ocop/{slug} is {width} px wide on a 390 px phone"
            product = json_ld(buyer)
            assert product["@type"] == "Product" and product["offers"]["priceCurrency"] == "VND"
            certification = product["hasCertification"]
            assert certification["@type"] == "Certification" and "expires" in certification
            if valid:
                assert certification["certificationStatus"].endswith("CertificationActive")
                assert certification["certificationRating"]["ratingValue"] == "5"
                expect(buyer.locator("#ocop-stars")).to_have_text("★★★★★")
            else:
                assert certification["certificationStatus"].endswith("CertificationInactive")
                assert "certificationRating" not in certification
                expect(buyer.locator("#ocop-banner")).to_contain_text("đã hết hạn")
                expect(buyer.locator("h1")).not_to_contain_text("★")
                assert "OCOP 3 sao" not in buyer.content()
        buyer.screenshot(path=f"{out}/ocop-product-expired.png", full_page=True)

        # Buying directly: the product page's VietQR is the producer's shop account and the price.
        admin = token(base, "admin")
        shop = next(m for m in api(base, "GET", "/api/v1/markets", token=admin)[1] if m["kind"] == "ocop_shop")
        _, connection = api(base, "POST", "/api/v1/connections", token=admin, body={"provider": "generic", "secret": SECRET, "marketId": shop["id"]})
        hook = connection["webhookUrl"][connection["webhookUrl"].index("/hooks/"):]
        producer = browser.new_context(**phone)
        producer.add_init_script(SPEECH_SPY)
        screen = producer.new_page()
        screen.set_default_timeout(15_000)
        sign_in(screen, base, "ocop.st25")
        screen.click("text=Tiền đã về")
        expect(screen.locator("h1")).to_contain_text("Gạo thơm ST25")
        screen.click("#sound")
        screen.wait_for_timeout(500)  # the event stream opens
        buyer.goto(f"{base}/ocop/gao-thom-st25")
        expect(buyer.locator("#ocop-buy")).to_contain_text("150.000 đ")
        pay_path = os.path.join(workdir, "pay.png")
        with open(pay_path, "wb") as handle:
            handle.write(fetch(f"{base}/ocop/gao-thom-st25/pay.png")[2])
        payload = zbar(pay_path)
        assert "5406150000" in payload and "Mua Gao thom ST25" in payload, payload
        number = buyer.locator("#ocop-buy strong").text_content().split("·")[1].strip()
        assert number in payload, (number, payload)
        buyer.screenshot(path=f"{out}/ocop-buy.png", full_page=True)
        send_webhook(base, hook, number, 150_000, "Mua Gao thom ST25")
        expect(screen.locator("#banner")).to_contain_text("Đã nhận một trăm năm mươi ngàn đồng")
        screen.wait_for_function("window.__spoken.some(text => text.startsWith('Đã nhận'))")
        spoken = [text for text in screen.evaluate("window.__spoken") if text.startswith("Đã nhận")]
        assert spoken == ["Đã nhận một trăm năm mươi ngàn đồng từ NGUYEN VAN A"], spoken
        screen.screenshot(path=f"{out}/ocop-producer-live.png")
        # The producer's own page: the order, named by its product, among the shop's money.
        screen.goto(base + "/ocop/register")
        expect(screen.locator("h1")).to_contain_text("Sản phẩm OCOP của tôi")
        expect(screen.locator("#ocop-orders")).to_contain_text("Gạo thơm ST25")
        expect(screen.locator("#ocop-orders")).to_contain_text("150.000")
        assert screen.locator("#ocop-import").count() == 0
        screen.screenshot(path=f"{out}/ocop-producer-orders.png", full_page=True)
        buyer.goto(base + "/ocop")
        expect(buyer.locator(".ocop-item.expired")).to_contain_text("Đã hết hạn chứng nhận OCOP")
        buyer.screenshot(path=f"{out}/ocop-list.png", full_page=True)
        browser.close()

    # The Google feed: XML, every required field, no expired claim, the same bytes twice.
    status, headers, first = fetch(base + "/ocop/feeds/google.xml")
    _, _, second = fetch(base + "/ocop/feeds/google.xml")
    assert status == 200 and first == second, "the feed changed between two requests"
    assert headers.get("ETag") and headers.get("Last-Modified")
    items = ET.fromstring(first).findall("./channel/item")
    assert len(items) >= 4, f"{len(items)} items in the feed"
    for item in items:
        for field in [G + "id", "title", "description", "link", G + "image_link", G + "price", G + "availability", G + "brand", G + "condition"]:
            assert (item.findtext(field) or "").strip(), f"{item.findtext(G + 'id')}: {field} is empty"
        assert re.fullmatch(r"\d+ VND", item.findtext(G + "price"))
    expired = [item for item in items if item.findtext(G + "id") == "tom-kho-tran-de"]
    assert expired and "OCOP" not in ET.tostring(expired[0], encoding="unicode") and "sao" not in expired[0].findtext("title")
    assert not [item for item in items if item.findtext(G + "id") == "cu-cai-muoi-dai-an"], "a product without label facts is in the feed"

    # The marketplaces' bulk-upload sheets, as LibreOffice reads them: one row per feed item.
    ids = sorted(item.findtext(G + "id") for item in items)
    for name, sku, title in [("shopee", "SKU sản phẩm", "Tên sản phẩm"), ("lazada", "SellerSKU", "Product Name"), ("tiktok", "Seller SKU", "Product name")]:
        status, headers, body = fetch(f"{base}/ocop/feeds/{name}.xlsx")
        assert status == 200 and "attachment" in headers.get("Content-Disposition", ""), name
        path = os.path.join(workdir, f"ocop-{name}.xlsx")
        with open(path, "wb") as handle:
            handle.write(body)
        rows = libreoffice_to_csv(path, workdir)
        header = rows[0]
        body_rows = [row for row in rows[1:] if row and row[0]]
        assert sorted(row[header.index(sku)] for row in body_rows) == ids, (name, body_rows)
        lapsed = next(row for row in body_rows if row[header.index(sku)] == "tom-kho-tran-de")
        assert "OCOP" not in ",".join(lapsed) and "sao" not in lapsed[header.index(title)], (name, lapsed)

    print("browser test passed: OCOP annex import (bad row named, then imported), photos (text file refused), reminders, "
          "packaging QR valid and expired (zbarimg), JSON-LD Product+Certification, Google feed and marketplace sheets checked")


if __name__ == "__main__":
    main()
