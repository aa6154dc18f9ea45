#!/usr/bin/python3
"""Make the workbook fixtures of the XLSX import tests (tests/test_xlsxin.c,
tests/integration/run.sh). Run from the repository's top:

    /usr/bin/python3 tests/data/make-xlsx.py

It needs python3-openpyxl and, for the files written by another program,
LibreOffice (libreoffice-calc-nogui); both are in scripts/install-deps.sh.
The files are committed: the tests do not run this. What each holds:

xlsx-eventbrite.xlsx   an Eventbrite-like attendee report as openpyxl writes
    it (inline strings), then given a shared-strings part as Excel writes one,
    with a rich-text name (runs joined): a date-time with a custom format, a
    date with a built-in one, an order number as a number, a long barcode as
    text, a boolean, a missing cell mid-row, accents (Zoë Çelik), a title
    row above the header, a second sheet ("Orders").
xlsx-rounded.xlsx      the same list with the barcodes stored as numbers, as
    Excel does when a CSV of them is opened: 8.18492260894162E+24.
xlsx-libreoffice.xlsx  xlsx-eventbrite.xlsx saved again by LibreOffice Calc
    (its own shared strings, styles and relationships).
xlsx-libreoffice.ods   the same as an OpenDocument spreadsheet.
xlsx-excel97.xls       the same as an Excel 97-2003 workbook.
xlsx-colleague.xlsx    the list as a colleague "cleaned it up" in Excel: a
    summary sheet first, the guests on the second under a title merged over
    the columns and a blank row, a ticket type merged down over a group, a
    phone number and a code with leading zeros as text, a date as a serial
    number in General format, and a totals row below.
    (Only this one: /usr/bin/python3 tests/data/make-xlsx.py colleague)
xlsx-encrypted.xlsx    what Excel writes for a workbook with a password: an
    OLE2 compound file whose directory names the EncryptionInfo and
    EncryptedPackage streams. Made here by hand (no tool at hand encrypts),
    with the header and directory entries as [MS-CFB] lays them out.
"""
import datetime
import os
import re
import shutil
import struct
import subprocess
import tempfile
import zipfile

import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))

HEADER = ["Order #", "Order Date", "First Name", "Last Name", "Email",
          "Ticket Type", "Barcode #", "Attendee Status", "Company", "Event Date",
          "Newsletter"]
PEOPLE = [
    ("Zoë", "Çelik", "zoe.celik@example.org", "Early bird", "Agence Lumière"),
    ("Pieter-Jan", "de Vries", "pj@example.org", "Regular", ""),
    ("Noor", "Nowak", "noor@example.org", "Volunteer", "Mashable"),
    ("Jérôme", "Lefèvre", "jerome@example.fr", "Regular", "Le Monde"),
    ("Łukasz", "Wiśniewski", "lukasz@example.pl", "Student", ""),
    ("Aoife", "Ní Bhraonáin", "aoife@example.ie", "Regular", "RTÉ"),
    ("Jan", "Janssens", "jan@example.be", "Early bird", "VRT"),
    ("Sofía", "García", "sofia@example.es", "Regular", ""),
    ("Mehmet", "Yılmaz", "mehmet@example.com.tr", "Speaker", "Hürriyet"),
    ("Emma", "Peeters", "emma@example.be", "Regular", "De Standaard"),
    ("Björn", "Åström", "bjorn@example.se", "Student", ""),
    ("Chloé", "Dubois", "chloe@example.fr", "Early bird", "Ouest-France"),
]
BARCODES = ["8184922608941621308297%03d" % (i + 1) for i in range(len(PEOPLE))]


def workbook(rounded):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Attendees"
    ws.append(["Attendee report, Social Media Day 2026"])
    ws.append(HEADER)
    for i, (first, last, email, ttype, company) in enumerate(PEOPLE):
        ordered = datetime.datetime(2026, 6, 1, 10, 22, 13) + datetime.timedelta(hours=5 * i)
        code = float(BARCODES[i]) if rounded else BARCODES[i]
        ws.append([7225516707 + i, ordered, first, last, email, ttype, code,
                   "Attending", company or None, datetime.date(2026, 6, 30), i % 2 == 0])
    for row in ws.iter_rows(min_row=3, min_col=2, max_col=2):
        row[0].number_format = "dd/mm/yyyy hh:mm"
    for row in ws.iter_rows(min_row=3, min_col=10, max_col=10):
        row[0].number_format = "mm-dd-yy"  # the built-in format 14
    for row in ws.iter_rows(min_row=3, min_col=1, max_col=1):
        row[0].number_format = "0"
    orders = wb.create_sheet("Orders")
    orders.append(["Order #", "Buyer", "Total"])
    orders.append([7225516707, "Someone Else", 45.5])
    return wb


def shared_strings(path):
    """Turn the inline strings of the header and of the Ticket Type and
    Company columns into shared strings, as Excel writes them; the first
    guest's company a rich text of two runs."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    strings = []

    def share(m):
        ref, text = m.group(1), m.group(2)
        if not re.match(r"([A-K]2|[FI]\d+)$", ref):
            return m.group(0)
        strings.append(text)
        return '<c r="%s" t="s"><v>%d</v></c>' % (ref, len(strings) - 1)

    sheet = re.sub(r'<c r="([A-Z]+\d+)" t="inlineStr"><is><t>([^<]*)</t></is></c>',
                   share, sheet)
    si = []
    for s in strings:
        if s == "Agence Lumi&#232;re":
            si.append('<si><r><t xml:space="preserve">Agence </t></r><r><rPr><b/></rPr>'
                      '<t>Lumi&#232;re</t></r><rPh sb="0" eb="1"><t>X</t></rPh></si>')
        else:
            si.append("<si><t>%s</t></si>" % s)
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    parts["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'count="%d" uniqueCount="%d">%s</sst>' % (len(si), len(si), "".join(si))).encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    rels = rels.replace("</Relationships>",
                        '<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/'
                        'officeDocument/2006/relationships/sharedStrings" '
                        'Target="sharedStrings.xml"/></Relationships>')
    parts["xl/_rels/workbook.xml.rels"] = rels.encode()
    types = parts["[Content_Types].xml"].decode()
    types = types.replace("</Types>",
                          '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                          'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                          "</Types>")
    parts["[Content_Types].xml"] = types.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, (2026, 6, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def libreoffice(src, fmt, dest):
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["soffice", "-env:UserInstallation=file://%s/profile" % tmp,
                        "--headless", "--convert-to", fmt, "--outdir", tmp, src],
                       check=True, stdout=subprocess.DEVNULL)
        out = [f for f in os.listdir(tmp) if f != "profile"]
        shutil.move(os.path.join(tmp, out[0]), dest)


def encrypted(dest):
    """An OLE2 compound file laid out as Excel's for an encrypted workbook:
    the header, then one directory sector naming Root Entry,
    EncryptionInfo and EncryptedPackage (the contents are not encrypted
    data: the reader looks at the names only)."""
    def entry(name, kind):
        n = (name + "\0").encode("utf-16-le")
        return (n.ljust(64, b"\0") + struct.pack("<HBB", len(n), kind, 1) +
                struct.pack("<III", 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF) + b"\0" * 16 +
                struct.pack("<I", 0) + b"\0" * 16 + struct.pack("<IQ", 0xFFFFFFFE, 0))
    header = (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + b"\0" * 16 +
              struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6 +
              struct.pack("<IIIIIIIII", 0, 1, 0, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0))
    header = header.ljust(76, b"\0") + struct.pack("<I", 0) + b"\xff" * (512 - 80)
    fat = struct.pack("<II", 0xFFFFFFFD, 0xFFFFFFFE).ljust(512, b"\xff")
    dirs = (entry("Root Entry", 5) + entry("EncryptionInfo", 2) +
            entry("EncryptedPackage", 2) + entry("", 0))
    with open(dest, "wb") as f:
        f.write(header + fat + dirs)


def colleague(dest):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Summary"
    ws.append(["Social Media Day 2026"])
    ws.append(["Registrations", 4])
    g = wb.create_sheet("Guests")
    g.append(["Guest list, updated by Els"])
    g.merge_cells("A1:F1")
    g.append([])
    g.append(["First Name", "Last Name", "Email", "Barcode #", "Ticket Type", "Phone",
              "Registered"])
    g.append(["Ann", "Peeters", "ann@example.org", "000123", "Speaker", "0471123456",
              45800])
    g.append(["Bart", "Janssens", "bart@example.org", "000124", None, "0471999999", 45801])
    g.append(["Chloé", "Dubois", "chloe@example.org", "000125", "Regular", None, 45802])
    g.append(["Dirk", "Maes", "dirk@example.org", "000126", "Regular", None, 45802])
    g.merge_cells("E4:E5")
    g.append(["Total", None, None, None, None, None, 4])
    wb.save(dest)


def main():
    colleague(os.path.join(HERE, "xlsx-colleague.xlsx"))
    main_xlsx = os.path.join(HERE, "xlsx-eventbrite.xlsx")
    workbook(False).save(main_xlsx)
    shared_strings(main_xlsx)
    workbook(True).save(os.path.join(HERE, "xlsx-rounded.xlsx"))
    libreoffice(main_xlsx, "xlsx", os.path.join(HERE, "xlsx-libreoffice.xlsx"))
    libreoffice(main_xlsx, "ods", os.path.join(HERE, "xlsx-libreoffice.ods"))
    libreoffice(main_xlsx, "xls", os.path.join(HERE, "xlsx-excel97.xls"))
    encrypted(os.path.join(HERE, "xlsx-encrypted.xlsx"))


if __name__ == "__main__":
    import sys
    if sys.argv[1:] == ["colleague"]:
        colleague(os.path.join(HERE, "xlsx-colleague.xlsx"))
    else:
        main()
