#!/usr/bin/env python3
"""Writes the statement fixtures the tests read: a Vietcombank-style XLSX (deflated ZIP, shared
strings with a rich-text run, an inline string, a date kept as an Excel serial number) and an
MB-style CSV (semicolons, quoted fields, a line break inside a quote). Made-up accounts and names.
Run from this folder: python3 make_statements.py"""
import zipfile
from xml.sax.saxutils import escape

def col(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s

shared = []
def sst(text):
    if text not in shared:
        shared.append(text)
    return shared.index(text)

rows = [
    ["NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM"],
    ["SAO KÊ TÀI KHOẢN", None, None, None, None, None, None],
    ["Số tài khoản: 0011001234567"],
    [],
    ["STT", "Ngày giao dịch", "Số tham chiếu", "Số tiền ghi nợ", "Số tiền ghi có", "Số dư", "Mô tả"],
    [1, "25/11/2026 08:15:02", "5473187212", None, "200,000", "1,200,000", "MBVCB.5473187212.CS7K2M9Q4.CT tu 1023456789 NGUYEN VAN A"],
    [2, 46351.5, "FT24331123456789", None, 35000, 1235000, ("inline", "Trả tiền cá & rau")],
    [3, "25/11/2026 12:40:00", "TT99", "50.000", None, "1.185.000", "Rut tien ATM"],
    [None, None, None, None, None, None, None],
    ["Tổng cộng", None, None, "50,000", "235,000"],
]

def cell(r, c, v):
    ref = f"{col(c)}{r}"
    if v is None:
        return ""
    if isinstance(v, tuple):
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(v[1])}</t></is></c>'
    if isinstance(v, (int, float)):
        return f'<c r="{ref}"><v>{v}</v></c>'
    return f'<c r="{ref}" t="s"><v>{sst(v)}</v></c>'

sheet_rows = "".join(
    f'<row r="{i}">' + "".join(cell(i, c, v) for c, v in enumerate(row)) + "</row>" if row else f'<row r="{i}"/>'
    for i, row in enumerate(rows, start=1))
sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
         + sheet_rows + '</sheetData></worksheet>')
# The first shared string is written as two rich-text runs, as Excel does for mixed formatting.
items = []
for i, s in enumerate(shared):
    if i == 0:
        items.append(f'<si><r><rPr><b/></rPr><t>{escape(s[:10])}</t></r><r><t xml:space="preserve">{escape(s[10:])}</t></r></si>')
    else:
        items.append(f"<si><t>{escape(s)}</t></si>")
sst_xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(shared)}" uniqueCount="{len(shared)}">'
           + "".join(items) + "</sst>")
with zipfile.ZipFile("vcb-statement.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
    z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="Sao ke" sheetId="1"/></sheets></workbook>')
    z.writestr("xl/sharedStrings.xml", sst_xml)
    z.writestr("xl/worksheets/sheet1.xml", sheet)

csv = (
    "\ufeffNGAN HANG TMCP QUAN DOI - MB\r\n"
    "Sao ke tai khoan 0123456789999\r\n"
    "Ngày giao dịch;Mã giao dịch;Tên tài khoản đối ứng;Phát sinh có;Phát sinh nợ;Nội dung\r\n"
    "25/11/2026 09:00:00;FT001;NGUYEN VAN A;75.000;;\"CUSTOMER CSX. TU: NGUYEN VAN A\"\r\n"
    "25/11/2026 09:05:10;FT002;TRAN THI B;1.250.000;;\"Tra tien gao ST25;\r\nlan 2\"\r\n"
    "25/11/2026 10:00:00;FT003;;;200.000;\"Chuyen tien \"\"nha\"\"\"\r\n"
)
open("mb-statement.csv", "w", encoding="utf-8", newline="").write(csv)
