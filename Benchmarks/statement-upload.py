#!/usr/bin/env python3
"""A bank statement of ROWS rows uploaded through the market board's page, as a board member does
it: sign in, open the intake page, preview the file, then import it. Prints the seconds each step
took and the server's memory (resident now and its peak, from /proc) before, during and after.

  statement-upload.py BASE_URL MARKET_ID ACCOUNT_ID ROWS SERVER_PID WORK_DIR

The file is what Vietcombank's Excel export looks like (a title block, then STT | Ngày giao dịch |
Số tham chiếu | Số tiền ghi nợ | Số tiền ghi có | Số dư | Mô tả), written the way spreadsheet
programs write it: text in the shared-string table, numbers in the cells, deflated.
"""
import datetime, http.cookiejar, random, re, sys, threading, time, urllib.parse, urllib.request, zipfile
from xml.sax.saxutils import escape

base, market, account, rows, pid, work = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]


def make_workbook(path):
    random.seed(19)
    strings, index = [], {}

    def shared(text):
        if text not in index:
            index[text] = len(strings)
            strings.append(text)
        return index[text]

    def column(n):
        return "ABCDEFG"[n]

    sheet = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    line = 0

    def row(cells):
        nonlocal line
        line += 1
        out = [f'<row r="{line}">']
        for n, value in enumerate(cells):
            ref = f"{column(n)}{line}"
            if value is None:
                continue
            if isinstance(value, int):
                out.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                out.append(f'<c r="{ref}" t="s"><v>{shared(value)}</v></c>')
        out.append("</row>")
        sheet.append("".join(out))

    row(["NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM"])
    row(["SAO KÊ TÀI KHOẢN / ACCOUNT STATEMENT"])
    row(["Từ ngày 01/11/2026 đến ngày 30/11/2026"])
    row([])
    row(["STT", "Ngày giao dịch", "Số tham chiếu", "Số tiền ghi nợ", "Số tiền ghi có", "Số dư", "Mô tả"])
    start = datetime.datetime(2026, 11, 1, 6, 0, 0)
    times = sorted(start + datetime.timedelta(seconds=random.randrange(0, 29 * 86400)) for _ in range(rows))
    balance = 50_000_000
    for n, when in enumerate(times):
        amount = random.randrange(1, 2000) * 1000
        outgoing = random.random() < 0.1
        balance += -amount if outgoing else amount
        description = (f"CHUYEN TIEN DEN {random.randrange(10**9):09d}" if outgoing
                       else f"KHACH {random.choice(['NGUYEN VAN A', 'TRAN THI B', 'LE VAN C', 'PHAM THI D'])} CK MUA HANG {n}")
        row([n + 1, f"{when:%d/%m/%Y %H:%M:%S}", f"FT26{n:010d}", amount if outgoing else None, None if outgoing else amount, balance, description])
    sheet.append("</sheetData></worksheet>")
    shared_xml = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                  f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">']
    shared_xml += [f"<si><t>{escape(text)}</t></si>" for text in strings]
    shared_xml.append("</sst>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="xml" ContentType="application/xml"/></Types>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                   '<sheets><sheet name="Sao ke" sheetId="1"/></sheets></workbook>')
        z.writestr("xl/sharedStrings.xml", "".join(shared_xml))
        z.writestr("xl/worksheets/sheet1.xml", "\n".join(sheet))


def memory():
    """(resident now, peak resident) of the server in MB."""
    status = open(f"/proc/{pid}/status").read()
    value = lambda key: int(re.search(rf"{key}:\s+(\d+) kB", status).group(1)) / 1024
    return value("VmRSS"), value("VmHWM")


class Sampler(threading.Thread):
    """The highest resident size seen while a request runs (VmHWM keeps the peak since start)."""
    def __init__(self):
        super().__init__(daemon=True)
        self.peak, self.done, self.seen = 0.0, False, []

    def run(self):
        while not self.done:
            self.seen.append(memory()[0])
            self.peak = max(self.peak, self.seen[-1])
            time.sleep(0.05)


path = f"{work}/statement.xlsx"
made = time.monotonic()
make_workbook(path)
size = len(open(path, "rb").read())
print(f"workbook: {rows} rows, {size / 1e6:.1f} MB ({time.monotonic() - made:.1f} s to write)")

jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
form = opener.open(base + "/login").read().decode()
fields = dict(re.findall(r'name="(_csrf|_once)" value="([^"]*)"', form))
opener.open(urllib.request.Request(base + "/login", data=urllib.parse.urlencode({**fields, "username": "bql.nganro", "password": "chosodemo"}).encode()))


def upload(action):
    page = opener.open(f"{base}/markets/{market}/intake").read().decode()
    csrf = re.search(r'name="_csrf" value="([^"]*)"', page).group(1)
    boundary = "----chosostatement"
    head = "".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
                   for k, v in [("_csrf", csrf), ("account", account), ("layout", "auto"), ("action", action)])
    head += (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="saoke-vcb.xlsx"\r\n'
             "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n")
    body = head.encode() + open(path, "rb").read() + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(f"{base}/markets/{market}/statements", data=body,
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    sampler = Sampler()
    sampler.start()
    began = time.monotonic()
    try:
        answer = opener.open(request, timeout=600)
        status, text = answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode()
    seconds = time.monotonic() - began
    sampler.done = True
    sampler.join()
    shown = re.search(r'id="shown">\s*<h2>([^<]*)</h2>\s*((?:<p class="mono">[^<]*</p>){0,4})', text)
    said = (shown.group(1) + ": " + "; ".join(re.findall(r'<p class="mono">([^<]*)</p>', shown.group(2)))) if shown else ""
    print(f"{action:8} {status}  {seconds:6.1f} s   server peak during {sampler.peak:6.0f} MB   {said}")
    if "--timeline" in sys.argv:
        print("  resident MB every half second:", " ".join(f"{m:.0f}" for m in sampler.seen[::10]))
    return status


resident, peak = memory()
print(f"server before: {resident:.0f} MB resident (peak so far {peak:.0f} MB)")
ok = upload("preview") == 200 and upload("import") == 200
time.sleep(2)
resident, peak = memory()
print(f"server 2 s after: {resident:.0f} MB resident, peak since start {peak:.0f} MB")
sys.exit(0 if ok else 1)
