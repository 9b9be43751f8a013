"""A LibreOffice kept running between conversions, driven through UNO: run by a Python that has ``uno``.

This file is a program, not a module of plandoc: ``output.resident`` runs it with the
Python that LibreOffice's UNO bindings belong to (Debian's ``python3-uno`` puts them in
the system Python; other builds ship their own ``program/python``), so it imports
nothing from plandoc and nothing outside the standard library and ``uno``.

    python -I uno_bridge.py PIPE_NAME STARTUP_SECONDS STOP_SECONDS NICENESS SOFFICE [ARGUMENT …]

It starts LibreOffice (the command line after NICENESS) listening on a named pipe,
connects, prints ``{"ready": true}``, then answers one JSON line per request read from
stdin::

    {"source": "/abs/plan.docx", "target": "/abs/plan.pdf", "filter": "writer_pdf_Export",
     "options": {"ExportBookmarksToPDFDestination": {"type": "boolean", "value": "true"}}}
    → {"ok": true}  or  {"ok": false, "error": "…"}

Documents are opened hidden, read-only, with macros and links never run or updated. When
stdin closes (plandoc is done, or died) LibreOffice is stopped (given STOP_SECONDS to
close) and the bridge exits; if plandoc dies while LibreOffice is busy, a watchdog notices
the bridge's new parent and stops both. LibreOffice runs in the bridge's process group, so
stopping the group stops both. The pipe's socket is made with a umask of 077, so no other
user of the machine can connect to this LibreOffice.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

NEVER_EXECUTE_MACROS = 0  # com.sun.star.document.MacroExecMode.NEVER_EXECUTE
NO_LINK_UPDATE = 0  # com.sun.star.document.UpdateDocMode.NO_UPDATE
_OPTION_TYPES: dict[str, Callable[[str], object]] = {"boolean": lambda text: text == "true", "long": int, "string": str}


def _property(name: str, value: object) -> object:
    prop = PropertyValue()
    prop.Name = name
    prop.Value = value
    return prop


def _answer(message: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def _connect(office: subprocess.Popen[bytes], pipe: str, startup_seconds: float) -> Any:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + startup_seconds
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        except Exception as exc:  # NoConnectException until LibreOffice listens
            if office.poll() is not None:
                raise RuntimeError(f"LibreOffice stopped with exit code {office.returncode} while starting") from exc
            if time.monotonic() > deadline:
                raise RuntimeError(f"LibreOffice did not start within {startup_seconds:.0f} s") from exc
            time.sleep(0.05)


def _convert(desktop: Any, request: dict[str, Any]) -> None:
    loading = (
        _property("Hidden", True),
        _property("ReadOnly", True),
        _property("MacroExecutionMode", NEVER_EXECUTE_MACROS),
        _property("UpdateDocMode", NO_LINK_UPDATE),
    )
    document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(str(request["source"])), "_blank", 0, loading)
    if document is None:
        raise RuntimeError("LibreOffice could not open the document")
    try:
        options = request.get("options") or {}
        data = tuple(_property(name, _OPTION_TYPES[spec["type"]](spec["value"])) for name, spec in options.items())
        storing: tuple[object, ...] = (_property("FilterName", request["filter"]),)
        if data:
            storing += (_property("FilterData", uno.Any("[]com.sun.star.beans.PropertyValue", data)),)
        uno.invoke(document, "storeToURL", (uno.systemPathToFileUrl(str(request["target"])), storing))
    finally:
        document.close(True)


def _stop_with_parent(parent: int) -> None:
    """Stop LibreOffice and the bridge if plandoc dies, even while a conversion is under way."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        _stop_group()

    threading.Thread(target=watch, daemon=True).start()


def _stop_group() -> None:
    """Kill the bridge's process group (LibreOffice and the bridge), if the bridge leads one."""
    if os.getpgrp() == os.getpid():  # plandoc starts the bridge as a group of its own
        os.killpg(os.getpgrp(), signal.SIGKILL)


def main() -> None:
    pipe, startup_seconds, stop_seconds, niceness, *command = sys.argv[1:]
    os.nice(int(niceness))  # LibreOffice inherits it: conversions yield the CPU to quicker work
    os.umask(0o077)  # the UNO pipe's socket (in /tmp) is this user's alone
    _stop_with_parent(os.getppid())
    office = subprocess.Popen(
        [*command, f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    desktop = None
    try:
        try:
            desktop = _connect(office, pipe, float(startup_seconds))
        except RuntimeError as exc:
            _answer({"ready": False, "error": str(exc)})
            return
        _answer({"ready": True})
        for line in sys.stdin:
            try:
                _convert(desktop, json.loads(line))
            except Exception as exc:  # the document failed; LibreOffice may have died with it
                _answer({"ok": False, "error": f"{type(exc).__name__}: {exc}", "alive": office.poll() is None})
                if office.poll() is not None:
                    return
            else:
                _answer({"ok": True})
    finally:
        if desktop is not None and office.poll() is None:
            try:
                desktop.terminate()
                office.wait(timeout=float(stop_seconds))
            except Exception:  # LibreOffice is stopped below whatever happened here
                pass
        _stop_group()  # LibreOffice's helpers, then the bridge itself
        office.kill()


if __name__ == "__main__":
    main()
