#!/usr/bin/python3
"""Make the OpenDocument spreadsheet fixtures of the ODS import tests
(tests/test_odsin.c, tests/test_import.c, tests/integration/run.sh). Run from
the repository's top, after tests/data/make-xlsx.py (two are made from its
workbooks):

    /usr/bin/python3 tests/data/make-ods.py

It needs python3-openpyxl and LibreOffice (libreoffice-calc-nogui); both are
in scripts/install-deps.sh. The files are committed: the tests do not run
this. What each holds:

ods-eventbrite.ods  xlsx-eventbrite.xlsx saved by LibreOffice Calc as .ods:
    the Eventbrite-like attendee report (a title row above the header, a
    date-time and a date, an order number in the format 0, a rich-text
    company as text:span, booleans, a missing cell mid-row, a second sheet,
    a million empty rows and 16384 empty columns as repeats).
ods-rounded.ods     xlsx-rounded.xlsx saved so: its barcodes kept as numbers
    in General, which LibreOffice shows rounded (8.18492260894162E+24).
ods-codes.ods       a guest list written by openpyxl and saved by LibreOffice,
    its first sheet hidden: ticket codes kept as numbers in the formats
    "TKT-"00000 and 0000000, a date-time, a time, a percentage.
ods-cells.ods       content.xml written here, for exact control of what
    LibreOffice writes in its own ways: a hidden sheet first, repeated rows
    with and without values, repeated and covered cells, text:s, text:tab,
    text:line-break, text:span, text:a, two paragraphs, a comment, every
    office:value-type, a number without its shown text, a third sheet.
ods-encrypted.ods   what LibreOffice writes for a file saved with a password:
    a manifest whose content.xml entry has manifest:encryption-data, and
    content.xml as (here random) encrypted bytes.
"""
import datetime
import importlib.util
import os
import random
import tempfile
import zipfile

import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))

# make-xlsx.py's way of having LibreOffice save a file as another format
_spec = importlib.util.spec_from_file_location("make_xlsx", os.path.join(HERE, "make-xlsx.py"))
_make_xlsx = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_make_xlsx)
libreoffice = _make_xlsx.libreoffice

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:xlink="http://www.w3.org/1999/xlink" '
      'xmlns:dc="http://purl.org/dc/elements/1.1/" '
      'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"')
MANIFEST_NS = 'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
EMPTY = '<table:table-cell table:number-columns-repeated="%d"/>'


def codes(dest):
    wb = openpyxl.Workbook()
    old = wb.active
    old.title = "Old list"
    old.append(["not", "this", "sheet"])
    old.sheet_state = "hidden"
    ws = wb.create_sheet("Guests")
    ws.append(["First Name", "Last Name", "Email", "Ticket code", "Member", "Ordered",
               "Doors", "Paid"])
    ws.append(["Zoë", "Çelik", "zoe@example.org", 42, 123,
               datetime.datetime(2026, 6, 1, 10, 22, 13), datetime.time(19, 30), 0.5])
    ws.append(["Jan", "Janssens", "jan@example.be", 7, 4567,
               datetime.datetime(2026, 6, 2, 8, 5, 0), datetime.time(9, 0), 1])
    for row in ws.iter_rows(min_row=2):
        row[3].number_format = '"TKT-"00000'
        row[4].number_format = "0000000"
        row[5].number_format = "yyyy-mm-dd hh:mm"
        row[6].number_format = "hh:mm"
        row[7].number_format = "0%"
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ods-codes.xlsx")
        wb.save(path)
        libreoffice(path, "ods", dest)


def ods_zip(dest, content, manifest_extra=""):
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest %s '
                'manifest:version="1.3">'
                '<manifest:file-entry manifest:full-path="/" manifest:version="1.3" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" '
                'manifest:media-type="text/xml"%s</manifest:manifest>'
                % (MANIFEST_NS, manifest_extra or "/>"))
    with zipfile.ZipFile(dest, "w") as z:
        for name, data, how in (
                ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet",
                 zipfile.ZIP_STORED),
                ("content.xml", content, zipfile.ZIP_DEFLATED),
                ("META-INF/manifest.xml", manifest.encode(), zipfile.ZIP_DEFLATED)):
            info = zipfile.ZipInfo(name, (2026, 6, 1, 0, 0, 0))
            info.compress_type = how
            z.writestr(info, data)


def cell(text, attrs='office:value-type="string"'):
    return '<table:table-cell %s><text:p>%s</text:p></table:table-cell>' % (attrs, text)


def cells(dest):
    rows = [
        # row 1: the header
        "".join(cell(t) for t in ("First name", "Last name", "Email", "Code", "Note"))
        + EMPTY % 16379,
        # row 2: runs, a link, spaces, a tab, a line break, two paragraphs;
        # a code kept as a number in the format "TKT-"00000
        cell("Zoë") + cell('<text:span text:style-name="T1">Çe</text:span>lik')
        + cell('<text:a xlink:href="mailto:zoe@example.org">zoe@example.org</text:a>')
        + cell("TKT-00042", 'office:value-type="float" office:value="42"')
        + '<table:table-cell office:value-type="string"><text:p>a<text:s text:c="3"/>b'
          '<text:tab/>c<text:line-break/>d<text:s/></text:p><text:p>second para</text:p>'
          '</table:table-cell>' + EMPTY % 16379,
    ]
    body = ['<table:table-row>%s</table:table-row>' % r for r in rows]
    # rows 3 and 4: one row with values, repeated
    body.append('<table:table-row table:number-rows-repeated="2">%s%s%s%s</table:table-row>'
                % (cell("Same"), cell("Row"), cell("same@example.org"), EMPTY % 16381))
    # rows 5 to 7: empty, repeated
    body.append('<table:table-row table:number-rows-repeated="3">%s</table:table-row>'
                % (EMPTY % 16384))
    # row 8: a merged cell over two columns (the covered one has a text of
    # its own, which LibreOffice does not show but its CSV export writes,
    # as kiosk reads it), leading zeros, a
    # percentage, a currency
    body.append('<table:table-row>'
                '<table:table-cell table:number-columns-spanned="2" '
                'office:value-type="string"><text:p>Merged</text:p></table:table-cell>'
                '<table:covered-table-cell office:value-type="string"><text:p>under'
                '</text:p></table:covered-table-cell>'
                + cell("00123", 'office:value-type="float" office:value="123"')
                + cell("50%", 'office:value-type="percentage" office:value="0.5"')
                + cell("€12.50", 'office:value-type="currency" office:currency="EUR" '
                       'office:value="12.5"')
                + EMPTY % 16379 + '</table:table-row>')
    # row 9: a date, a date-time, a time, a boolean as shown in Dutch, a
    # number without its shown text
    body.append('<table:table-row>'
                + cell("30/06/26", 'office:value-type="date" office:date-value="2026-06-30"')
                + cell("30/06/2026 19:30", 'office:value-type="date" '
                       'office:date-value="2026-06-30T19:30:00.25"')
                + cell("07:30 PM", 'office:value-type="time" office:time-value="PT19H30M00S"')
                + cell("WAAR", 'office:value-type="boolean" office:boolean-value="true"')
                + '<table:table-cell office:value-type="float" office:value="1.5"/>'
                + EMPTY % 16379 + '</table:table-row>')
    # row 10: a value repeated over three columns, a cell with a comment,
    # a value in white space
    body.append('<table:table-row>'
                '<table:table-cell table:number-columns-repeated="3" '
                'office:value-type="string"><text:p>x</text:p></table:table-cell>'
                '<table:table-cell office:value-type="string"><office:annotation>'
                '<dc:creator>Someone</dc:creator><text:p>a comment</text:p>'
                '</office:annotation><text:p>with note</text:p></table:table-cell>'
                + cell("  padded  ") + EMPTY % 16379 + '</table:table-row>')
    # the rest of the sheet: a million empty rows
    body.append('<table:table-row table:number-rows-repeated="1048566">%s</table:table-row>'
                % (EMPTY % 16384))
    content = ('<?xml version="1.0" encoding="UTF-8"?>\n'
               '<office:document-content %s office:version="1.3">'
               '<office:automatic-styles>'
               '<style:style style:name="ta1" style:family="table">'
               '<style:table-properties table:display="false"/></style:style>'
               '<style:style style:name="ta2" style:family="table">'
               '<style:table-properties table:display="true"/></style:style>'
               '</office:automatic-styles>'
               '<office:body><office:spreadsheet>'
               '<table:table table:name="Notes" table:style-name="ta1">'
               '<table:table-row>%s</table:table-row></table:table>'
               '<table:table table:name="Guests" table:style-name="ta2">'
               '<table:table-column table:number-columns-repeated="16384"/>%s</table:table>'
               '<table:table table:name="Third" table:style-name="ta2">'
               '<table:table-row>%s</table:table-row></table:table>'
               '</office:spreadsheet></office:body></office:document-content>'
               % (NS, cell("not this sheet"), "".join(body), cell("nor this one")))
    ods_zip(dest, content.encode())


def encrypted(dest):
    rnd = random.Random(2026)
    data = bytes(rnd.randrange(256) for _ in range(2048))
    extra = ('><manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:'
             'opendocument:xmlns:manifest:1.0#sha256-1k" manifest:checksum="AAAA">'
             '<manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/'
             'xmlenc#aes256-cbc" manifest:initialisation-vector="AAAA"/>'
             '<manifest:key-derivation manifest:key-derivation-name="PBKDF2" '
             'manifest:key-size="32" manifest:iteration-count="100000" '
             'manifest:salt="AAAA"/></manifest:encryption-data></manifest:file-entry>')
    ods_zip(dest, data, extra)


def main():
    libreoffice(os.path.join(HERE, "xlsx-eventbrite.xlsx"), "ods",
                os.path.join(HERE, "ods-eventbrite.ods"))
    libreoffice(os.path.join(HERE, "xlsx-rounded.xlsx"), "ods",
                os.path.join(HERE, "ods-rounded.ods"))
    codes(os.path.join(HERE, "ods-codes.ods"))
    cells(os.path.join(HERE, "ods-cells.ods"))
    encrypted(os.path.join(HERE, "ods-encrypted.ods"))


if __name__ == "__main__":
    main()
