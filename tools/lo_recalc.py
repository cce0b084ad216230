#!/usr/bin/python3
"""Open a workbook in LibreOffice (headless), optionally change cells,
recalculate every formula and print, as JSON lines, each formula cell's
sheet, address, formula, recalculated value and text. Used by output's
LibreOffice tests.

Usage: /usr/bin/python3 tools/lo_recalc.py [--locale nl-NL] [--set 'Sheet!C7=0.7' ...]
                                           [--pdf OUT.pdf] [--cells 'Sheet!A1' ...] WORKBOOK.xlsx

--locale sets the locale of the LibreOffice profile (number formats and
FIXED() follow it); --set changes a cell's value before recalculating, as a
user would; --pdf writes the recalculated workbook as PDF; --cells prints
those cells too, formula or not.
Needs the Debian packages libreoffice-calc-nogui and python3-uno.
"""
import argparse
import json
import os
import tempfile

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.table.CellContentType import FORMULA

import lo_session

LOCALE_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>%s</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>%s</value></prop></item>
</oor:items>
"""


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def cell_of(doc, ref):
    sheet, addr = ref.rsplit("!", 1)
    return doc.Sheets.getByName(sheet.strip("'")).getCellRangeByName(addr)


def describe(sheet_name, cell):
    return {
        "sheet": sheet_name,
        "cell": cell.AbsoluteName.split(".")[-1].replace("$", ""),
        "formula": cell.Formula,
        "value": cell.Value,
        "string": cell.String,
        "text": cell.Type == FORMULA and cell.getPropertyValue("FormulaResultType2") == 2,  # FormulaResult.STRING
        "error": cell.getError() if cell.Type == FORMULA else 0,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--locale", default="")
    ap.add_argument("--set", action="append", default=[])
    ap.add_argument("--pdf", default="")
    ap.add_argument("--cells", action="append", default=[])
    ap.add_argument("workbook")
    args = ap.parse_args()

    profile = tempfile.mkdtemp(prefix="lo-profile-")
    if args.locale:
        os.makedirs(os.path.join(profile, "user"), exist_ok=True)
        with open(os.path.join(profile, "user", "registrymodifications.xcu"), "w") as f:
            f.write(LOCALE_XCU % (args.locale, args.locale))
    pipe = "raming_lo_%d" % os.getpid()
    office, desktop = lo_session.start(profile, pipe)
    try:
        url = uno.systemPathToFileUrl(os.path.abspath(args.workbook))
        doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
        for s in args.set:
            ref, value = s.split("=", 1)
            cell_of(doc, ref).setValue(float(value))
        doc.calculateAll()
        for sheet in doc.Sheets:
            cursor = sheet.createCursor()
            cursor.gotoEndOfUsedArea(False)
            last_col, last_row = cursor.RangeAddress.EndColumn, cursor.RangeAddress.EndRow
            for r in range(last_row + 1):
                for c in range(last_col + 1):
                    cell = sheet.getCellByPosition(c, r)
                    if cell.Type == FORMULA:
                        print(json.dumps(describe(sheet.Name, cell)))
        for ref in args.cells:
            print(json.dumps(describe(ref.rsplit("!", 1)[0].strip("'"), cell_of(doc, ref))))
        if args.pdf:
            doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(args.pdf)), (prop("FilterName", "calc_pdf_Export"),))
        doc.close(True)
    finally:
        lo_session.stop(office, desktop, profile)


if __name__ == "__main__":
    main()
