"""Run by the system Python (which has LibreOffice's ``uno``): load a workbook in LibreOffice
headless and print its Basic/VBA libraries and modules as JSON.

    /usr/bin/python3 lo_vba_modules.py WORKBOOK PROFILE_DIR
"""

import contextlib
import json
import os
import subprocess
import sys
import time
import uuid

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main():
    path, profile = sys.argv[1], sys.argv[2]
    pipe = "ck" + uuid.uuid4().hex[:8]
    soffice = subprocess.Popen(
        [
            "soffice",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            f"-env:UserInstallation=file://{profile}",
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(120):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.5)
        else:
            raise SystemExit("could not connect to LibreOffice")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        url = uno.systemPathToFileUrl(os.path.abspath(path))
        doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
        if doc is None:
            raise SystemExit(f"LibreOffice did not load {path}")
        out = {}
        libs = doc.BasicLibraries
        for lib_name in libs.getElementNames():
            libs.loadLibrary(lib_name)
            lib = libs.getByName(lib_name)
            out[lib_name] = {m: lib.getByName(m) for m in lib.getElementNames()}
        doc.close(True)
        print(json.dumps(out))
        with contextlib.suppress(Exception):
            desktop.terminate()
    finally:
        try:
            soffice.wait(timeout=20)
        except subprocess.TimeoutExpired:
            soffice.kill()


if __name__ == "__main__":
    main()
