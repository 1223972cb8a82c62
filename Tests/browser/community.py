"""A community team member's day with no connection, at 390×844 in headless Chromium (issue 14).

Signs in as to.daian2, lets the phone download the hamlet's households, goes offline (the
browser's offline mode), adds a household, records three visits with checklist changes, reloads
the page still offline (everything is there, the badge says "4 bản ghi chưa gửi"), goes online:
the records reach the server once each (checked through the API); the same batch sent again
changes nothing. Then two phones (two browser contexts) edit one household offline: both versions
are kept and the leader's review list has the conflict. The duplicate warning appears before save
for a head's name typed without diacritics.
"""
import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from playwright.sync_api import expect, sync_playwright  # noqa: E402

from live_screen import CHROMIUM_CANDIDATES, api, token, wait_for_server  # noqa: E402

PHONE = {"width": 390, "height": 844}


def sign_in(context, base, username, lands_on=r"/community$"):
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", "chosodemo")
    page.click("button.primary")
    expect(page).to_have_url(re.compile(lands_on))
    if lands_on != r"/community$":
        return page
    # The phone has downloaded the hamlet's households.
    expect(page.locator("#household-list li").first).to_be_visible()
    return page


def fill_household(page, head, address, members="4", adults="3", smartphones="1"):
    page.fill("#hf-address", address)
    page.fill("#hf-head", head)
    page.fill("#hf-members", members)
    page.fill("#hf-adults", adults)
    page.fill("#hf-smartphone", smartphones)


def record_visit(page, head, help_value, smartphones):
    page.fill("#household-search", head)
    row = page.locator("#household-list li", has_text=head).first
    row.locator("button.edit").click()
    page.fill("#hf-smartphone", smartphones)
    page.click("#household-form button[type=submit]")
    row = page.locator("#household-list li", has_text=head).first
    row.locator("button.visit").click()
    page.check(f"#visit-form input[name=help][value={help_value}]")
    page.click("#visit-form button[type=submit]")
    expect(page.locator("#visit-form")).to_be_hidden()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8080")
    parser.add_argument("--out", default="artifacts/screenshots")
    args = parser.parse_args()
    base, out = args.base, args.out
    os.makedirs(out, exist_ok=True)
    wait_for_server(base)
    member = token(base, "to.daian2")
    before = api(base, "GET", "/api/v1/sync", token=member)[1]
    known = len(before["households"])

    executable = next(path for path in CHROMIUM_CANDIDATES if os.path.exists(path))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"], headless=True)
        context = browser.new_context(viewport=PHONE, locale="vi-VN")
        page = sign_in(context, base, "to.daian2")
        expect(page.locator("#household-count")).to_contain_text(f"{known} / {known}")
        expect(page.locator("#unsent")).to_have_text("Đã gửi hết")
        page.screenshot(path=f"{out}/community-start.png")
        # The page and its script are kept for a start with no connection from the first visit on
        # (before the service worker controlled the page: no second online visit needed).
        page.wait_for_function("caches.match('/community').then(function (r) { return !!r; })", timeout=10_000)

        # No connection at all from here.
        context.set_offline(True)
        page.evaluate("window.dispatchEvent(new Event('offline'))")
        page.click("#add-household")
        fill_household(page, "Sơn Thị Phương Thảo", "88/2 ấp 1", smartphones="0")
        page.click("#household-form button[type=submit]")
        expect(page.locator("#unsent")).to_have_text("1 bản ghi chưa gửi")
        for help_value, phones in [("install_payment_app", "1"), ("open_account", "2"), ("vneid_level1", "2")]:
            record_visit(page, "Sơn Thị Phương Thảo", help_value, phones)
        expect(page.locator("#unsent")).to_have_text("4 bản ghi chưa gửi")
        # Closed and opened again, still offline: everything is still there.
        page.reload()
        expect(page.locator("#unsent")).to_have_text("4 bản ghi chưa gửi")
        page.fill("#household-search", "son thi phuong thao")
        expect(page.locator("#household-list li")).to_have_count(1)
        page.screenshot(path=f"{out}/community-offline-reloaded.png")
        assert len(api(base, "GET", "/api/v1/sync", token=member)[1]["households"]) == known, "nothing reached the server yet"

        # Back online: sent by itself, once each — even when the first send meets a busy server
        # (503), which the phone tries again after a few seconds rather than a minute.
        refused = []

        def busy_once(route):
            if route.request.method == "POST" and not refused:
                refused.append(route.request.url)
                route.fulfill(status=503, content_type="application/json", body='{"error":{"code":"busy","message":"Máy chủ đang bận"}}')
            else:
                route.continue_()

        page.route("**/api/v1/sync", busy_once)
        context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        expect(page.locator("#unsent")).to_have_text("Đã gửi hết", timeout=15_000)
        assert refused, "the first send was not refused"
        page.unroute("**/api/v1/sync")
        after = api(base, "GET", "/api/v1/sync", token=member)[1]
        mine = [h for h in after["households"] if h["headName"] == "Sơn Thị Phương Thảo"]
        assert len(mine) == 1 and len(after["households"]) == known + 1, (len(mine), len(after["households"]))
        assert mine[0]["checklist"]["smartphone"]["count"] == 2 and mine[0]["version"] == 1, mine[0]
        visits = [v for v in after["visits"] if v["household"] == mine[0]["id"]]
        assert sorted(h for v in visits for h in v["help"]) == ["install_payment_app", "open_account", "vneid_level1"], visits
        # The same batch again (a resend after a lost answer): nothing new.
        batch = {"deviceId": "resend", "records": [dict(mine[0], type="household", baseVersion=None)] + [dict(v, type="visit") for v in visits]}
        for record in batch["records"]:
            for key in ("version", "updatedAt", "recordedAt", "memberId"):
                record.pop(key, None)
        results = api(base, "POST", "/api/v1/sync", token=member, body=batch)[1]["results"]
        assert [r["status"] for r in results] == ["unchanged"] * 4, results
        page.screenshot(path=f"{out}/community-sent.png")
        # VNeID level 1 on the third visit suggested the appointment for level 2: it is on the list.
        follow_ups = api(base, "GET", "/api/v1/follow-ups", token=member)[1]
        assert any(f["household"] == mine[0]["id"] and f["action"] == "vneid_level2_at_police" for f in follow_ups), follow_ups
        expect(page.locator("#follow-ups li", has_text="Sơn Thị Phương Thảo")).to_contain_text("Hẹn công an xã kích hoạt VNeID mức 2")

        # The duplicate warning, before save, for a name typed without diacritics.
        page.click("#add-household")
        fill_household(page, "son thi phuong thao", "số 88/2")
        page.click("#household-form button[type=submit]")
        expect(page.locator("#duplicate-warning")).to_be_visible()
        expect(page.locator("#duplicate-text")).to_contain_text("Có thể trùng với hộ Sơn Thị Phương Thảo")
        page.screenshot(path=f"{out}/community-duplicate.png")
        page.click("#open-duplicate")
        expect(page.locator("#hf-head")).to_have_value("Sơn Thị Phương Thảo")
        page.click("#household-form button.cancel")

        # Two phones edit the same household offline.
        second = browser.new_context(viewport=PHONE, locale="vi-VN")
        other = sign_in(second, base, "totruong.daian2")
        for phone, ctx, smartphones in [(page, context, "3"), (other, second, "1")]:
            ctx.set_offline(True)
            phone.evaluate("window.dispatchEvent(new Event('offline'))")
            phone.fill("#household-search", "Sơn Thị Phương Thảo")
            phone.locator("#household-list li button.edit").first.click()
            phone.fill("#hf-smartphone", smartphones)
            phone.click("#household-form button[type=submit]")
            expect(phone.locator("#unsent")).to_have_text("1 bản ghi chưa gửi")
        for phone, ctx in [(page, context), (other, second)]:
            ctx.set_offline(False)
            phone.evaluate("window.dispatchEvent(new Event('online'))")
            expect(phone.locator("#unsent")).to_have_text("Đã gửi hết", timeout=15_000)
        leader = token(base, "totruong.daian2")
        final = [h for h in api(base, "GET", "/api/v1/sync", token=leader)[1]["households"] if h["id"] == mine[0]["id"]][0]
        assert final["version"] == 3, final

        # The leader's review list shows it; keeping version 2 makes it current, history kept.
        other.goto(f"{base}/community/team")
        card = other.locator("li.review", has_text="Sơn Thị Phương Thảo").filter(has_text="Hai máy sửa cùng một hộ")
        expect(card).to_have_count(1)
        expect(card).to_contain_text("Phiên bản 2")
        expect(card).to_contain_text("Phiên bản 3")
        other.screenshot(path=f"{out}/community-leader-review.png", full_page=True)
        card.locator("button", has_text="Giữ phiên bản 2").click()
        expect(other.locator(".notice")).to_contain_text("Đã xử lý")
        expect(other.locator("li.review", has_text="Sơn Thị Phương Thảo")).to_have_count(0)
        settled = [h for h in api(base, "GET", "/api/v1/sync", token=leader)[1]["households"] if h["id"] == mine[0]["id"]][0]
        assert settled["version"] == 4 and settled["checklist"]["smartphone"]["count"] == 3, settled

        # A phone that cannot get online exports its unsent record; the leader uploads the file;
        # when the first phone gets a connection after all, nothing is stored twice.
        context.set_offline(True)
        page.evaluate("window.dispatchEvent(new Event('offline'))")
        page.goto(base + "/community")
        page.click("#add-household")
        fill_household(page, "Kim Thị Sa Rinh", "5 ấp 1")
        page.click("#household-form button[type=submit]")
        expect(page.locator("#unsent")).to_have_text("1 bản ghi chưa gửi")
        with page.expect_download() as download:
            page.click("#export-unsent")
        exported = os.path.join(out, "community-unsent.json")
        download.value.save_as(exported)
        other.goto(base + "/community")
        other.locator("#upload-box summary").click()
        other.set_input_files("#upload-file", exported)
        expect(other.locator("#upload-state")).to_contain_text("Đã nhận 1 bản ghi")
        expect(other.locator("#unsent")).to_have_text("Đã gửi hết", timeout=15_000)
        context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        expect(page.locator("#unsent")).to_have_text("Đã gửi hết", timeout=15_000)
        uploaded = [h for h in api(base, "GET", "/api/v1/sync", token=member)[1]["households"] if h["headName"] == "Kim Thị Sa Rinh"]
        assert len(uploaded) == 1 and uploaded[0]["version"] == 1, uploaded

        # The commune officer adds a member to the team, with a login: the code is shown once.
        officer_context = browser.new_context(viewport=PHONE, locale="vi-VN")
        officer = sign_in(officer_context, base, "canbo.trande", lands_on=r"/markets$")
        officer.goto(base + "/community/commune")
        officer.locator("#teams a").first.click()
        officer.fill("#fullName", "Lâm Thị Nguyệt")
        officer.fill("#member-phone", "0912345678")
        officer.select_option("#affiliation", "womens_union")
        officer.fill("#member-username", "nguyet.daian2")
        officer.click("#member-form button[type=submit]")
        expect(officer.locator(".warning-card")).to_contain_text("Lâm Thị Nguyệt")
        officer.screenshot(path=f"{out}/community-officer-team.png", full_page=True)
        expect(officer.locator("#members")).to_contain_text("Hội phụ nữ")
        browser.close()
    print("browser test passed: offline household and 3 visits kept across a reload (badge 4), sent once each, resend unchanged; duplicate warned before save; two phones → both kept, the leader keeps version 2 as version 4; the VNeID follow-up listed; an exported file uploaded by the leader stored once; the officer adds a member with a login")


if __name__ == "__main__":
    main()
