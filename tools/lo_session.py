"""Start LibreOffice headless with its own profile and connect to it over UNO.

Shared by the repo's LibreOffice tools (lo_recalc.py, lo_csv_cells.py), run
with the system Python that has the uno module (Debian: python3-uno).
"""
import os
import shutil
import subprocess
import sys
import time

import uno


def start(profile, pipe):
    """Start soffice with the user profile directory `profile`, listening on
    the named pipe `pipe`; return (process, desktop). Exits when LibreOffice
    does not answer within 30 seconds."""
    office = subprocess.Popen([
        "soffice", "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
        "-env:UserInstallation=file://" + profile,
        "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe,
    ], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(300):
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            return office, ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        except Exception:
            time.sleep(0.1)
    office.kill()
    sys.exit("LibreOffice did not start")


def stop(office, desktop, profile):
    """Close LibreOffice (killing it after 30 seconds) and remove its profile."""
    try:
        desktop.terminate()
    except Exception:
        pass
    if office.poll() is None:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()
    shutil.rmtree(profile, ignore_errors=True)
