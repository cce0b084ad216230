#!/usr/bin/python3
"""Open a CSV file in LibreOffice (headless) with the given list separator,
evaluating formulas as Excel does, and print, as JSON lines, every
non-empty cell: its row, column, whether it is a formula, and its text.
Used by output's CSV formula-injection test.

Usage: /usr/bin/python3 tools/lo_csv_cells.py --separator ';' [--language 1043] FILE.csv

--language is the Windows language id the import reads numbers in (1033
en-US, the default; 1043 nl-NL reads 1.234,5 as a number, as Dutch Excel
does). Each cell also says whether LibreOffice read it as a number.
Needs the Debian packages libreoffice-calc-nogui and python3-uno.
"""
import argparse
import json
import os
import tempfile

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.table.CellContentType import EMPTY, FORMULA, VALUE

import lo_session


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--separator", required=True, choices=[",", ";"])
    ap.add_argument("--language", type=int, default=1033)
    ap.add_argument("csv")
    args = ap.parse_args()

    # CSV filter options: separator, text delimiter ("), UTF-8, first line 1,
    # no column formats, the language, quoted fields not forced to text,
    # detect special numbers, (export options), and token 13: evaluate
    # formulas, as Excel always does.
    options = "%d,34,76,1,,%d,false,true,false,false,false,-1,true" % (ord(args.separator), args.language)
    profile = tempfile.mkdtemp(prefix="lo-profile-")
    pipe = "raming_lo_csv_%d" % os.getpid()
    office, desktop = lo_session.start(profile, pipe)
    try:
        url = uno.systemPathToFileUrl(os.path.abspath(args.csv))
        doc = desktop.loadComponentFromURL(url, "_blank", 0, (
            prop("Hidden", True), prop("FilterName", "Text - txt - csv (StarCalc)"), prop("FilterOptions", options)))
        sheet = doc.Sheets.getByIndex(0)
        cursor = sheet.createCursor()
        cursor.gotoEndOfUsedArea(False)
        for r in range(cursor.RangeAddress.EndRow + 1):
            for c in range(cursor.RangeAddress.EndColumn + 1):
                cell = sheet.getCellByPosition(c, r)
                if cell.Type != EMPTY:
                    print(json.dumps({"row": r + 1, "col": c + 1, "formula": cell.Type == FORMULA,
                                      "number": cell.Type == VALUE, "value": cell.Value,
                                      "content": cell.Formula, "string": cell.String}))
        doc.close(True)
    finally:
        lo_session.stop(office, desktop, profile)


if __name__ == "__main__":
    main()
