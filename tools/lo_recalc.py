#!/usr/bin/python3
"""Open a workbook in LibreOffice (headless), recalculate every formula and
print, as JSON lines, each formula cell's sheet, address, formula and
recalculated value. Used by output's LibreOffice round-trip test.

Usage: /usr/bin/python3 tools/lo_recalc.py WORKBOOK.xlsx
Needs the Debian packages libreoffice-calc-nogui and python3-uno.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.table.CellContentType import FORMULA


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main(path):
    profile = tempfile.mkdtemp(prefix="lo-profile-")
    pipe = "raming_lo_%d" % os.getpid()
    office = subprocess.Popen([
        "soffice", "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
        "-env:UserInstallation=file://" + profile,
        "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe,
    ], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        ctx = None
        for _ in range(300):
            try:
                ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
                break
            except Exception:
                time.sleep(0.1)
        if ctx is None:
            sys.exit("LibreOffice did not start")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        url = uno.systemPathToFileUrl(os.path.abspath(path))
        doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
        doc.calculateAll()
        for sheet in doc.Sheets:
            cursor = sheet.createCursor()
            cursor.gotoEndOfUsedArea(False)
            last_col, last_row = cursor.RangeAddress.EndColumn, cursor.RangeAddress.EndRow
            for r in range(last_row + 1):
                for c in range(last_col + 1):
                    cell = sheet.getCellByPosition(c, r)
                    if cell.Type != FORMULA:
                        continue
                    print(json.dumps({
                        "sheet": sheet.Name,
                        "cell": cell.AbsoluteName.split(".")[-1].replace("$", ""),
                        "formula": cell.Formula,
                        "value": cell.Value,
                        "error": cell.getError(),
                    }))
        doc.close(True)
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass
        office.wait(timeout=30) if office.poll() is None else None
        if office.poll() is None:
            office.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1])
