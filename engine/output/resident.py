"""A resident LibreOffice: started once, then converting document after document without restarting.

``Converter`` starts LibreOffice for every call, which costs a couple of seconds before
the first page is laid out. The web app converts one plan at a time for people waiting
on a page, so each of its conversion slots keeps one LibreOffice running instead, driven
through UNO by ``uno_bridge.py`` (run by the Python that has LibreOffice's ``uno``
bindings: ``python3-uno`` on Debian). Where no such Python exists, ``find_uno_python``
says so and the web app falls back to ``Converter``.

A conversion that fails or times out stops that LibreOffice; the next one (and the retry
of the failed document, once) starts a fresh one. ``close`` stops it for good.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import selectors
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from plandoc.output.libreoffice import (
    FILTERS,
    Conversion,
    converter_environment,
    find_soffice,
    looks_complete,
    office_command,
    require_cjk_fonts,
)

UNO_PYTHON_VARIABLE = "PLANDOC_UNO_PYTHON"
"""Names the Python to run the bridge with, when neither the system's nor LibreOffice's own has ``uno``."""
BRIDGE = Path(__file__).with_name("uno_bridge.py")
GRACEFUL_STOP_SECONDS = 4
"""How long the bridge lets LibreOffice close when asked to stop (the bridge's own limit)."""


@functools.cache
def find_uno_python(soffice: str) -> str | None:
    """A Python that can ``import uno`` for this LibreOffice, or None."""
    candidates = [
        os.environ.get(UNO_PYTHON_VARIABLE),
        str(Path(os.path.realpath(soffice)).with_name("python")),  # LibreOffice's own, where it ships one
        "/usr/bin/python3",  # Debian's python3-uno
        shutil.which("python3"),
    ]
    for candidate in dict.fromkeys(c for c in candidates if c):
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            probe = subprocess.run([candidate, "-I", "-c", "import uno"], capture_output=True, timeout=30, check=False)
            if probe.returncode == 0:
                return candidate
    return None


def pipe_socket(name: str) -> Path:
    """Where LibreOffice puts the socket of the named pipe ``name`` (always /tmp, whatever TMPDIR says)."""
    return Path("/tmp") / f"OSL_PIPE_{os.getuid()}_{name}"


class ResidentConverter:
    """One LibreOffice kept running in ``profile`` (a kept folder); converts like ``Converter``."""

    def __init__(
        self,
        profile: Path,
        uno_python: str,
        *,
        seconds_per_document: float = 30.0,
        startup_seconds: float = 60.0,
        niceness: int = 0,
        documents_per_process: int = 200,
    ) -> None:
        """``niceness``: how much LibreOffice yields the CPU to other work (0-19)."""
        self.soffice = find_soffice()
        self.profile = profile
        self.uno_python = uno_python
        self.seconds_per_document = seconds_per_document
        self.startup_seconds = startup_seconds
        self.niceness = niceness
        self.documents_per_process = documents_per_process
        self.processes_started = 0
        self._bridge: subprocess.Popen[bytes] | None = None
        self._converted = 0
        self._scratch: Path | None = None
        self._buffer = b""
        self.pipe_name: str | None = None
        """The named pipe the running LibreOffice listens on."""

    @property
    def running(self) -> bool:
        """Whether a LibreOffice is running now (started and not stopped)."""
        return self._bridge is not None and self._bridge.poll() is None

    def convert(self, sources: Sequence[Path], target_format: str, outdir: Path) -> list[Conversion]:
        """Convert each source into ``outdir`` as ``<stem>.<target_format>``; a failed one is tried once more."""
        if target_format not in FILTERS:
            raise ValueError(f"unknown format {target_format!r}")
        if target_format == "pdf":
            require_cjk_fonts()  # as Converter: never a PDF of empty boxes
        _, filter_name, *rest = FILTERS[target_format].split(":", 2)
        options = json.loads(rest[0]) if rest else {}
        results = []
        for source in sources:
            output = outdir / f"{source.stem}.{target_format}"
            request = {"source": str(source.absolute()), "target": str(output.absolute()), "filter": filter_name}
            error: str | None = None
            for attempt in (1, 2):
                with contextlib.suppress(FileNotFoundError):
                    output.unlink()
                error = self._run(request | {"options": options})
                if error is None and looks_complete(output, target_format):
                    results.append(Conversion(source, output, attempt))
                    break
                self.stop(graceful=False)  # whatever went wrong, the next try starts a fresh LibreOffice
                error = error or "LibreOffice wrote no output"
            else:
                with contextlib.suppress(FileNotFoundError):
                    output.unlink()
                results.append(Conversion(source, None, 2, error))
        return results

    def close(self) -> None:
        """Stop LibreOffice (the profile folder is the caller's)."""
        self.stop(graceful=True)

    def stop(self, *, graceful: bool = True) -> None:
        """Stop the running LibreOffice, if any, and remove its temporary files.

        ``graceful``: let LibreOffice close its profile first (a few seconds at most);
        otherwise, after a failure or a timeout, it is killed at once.
        """
        bridge, self._bridge = self._bridge, None
        if bridge is not None:
            if bridge.stdin is not None:
                with contextlib.suppress(OSError):
                    bridge.stdin.close()  # the bridge stops LibreOffice itself when it can
            if graceful:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    bridge.wait(timeout=GRACEFUL_STOP_SECONDS + 1)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(bridge.pid, signal.SIGKILL)
            bridge.wait()
            if bridge.stdout is not None:
                bridge.stdout.close()
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None
        if self.pipe_name is not None:  # a LibreOffice that was killed leaves its pipe's socket behind
            with contextlib.suppress(OSError):
                pipe_socket(self.pipe_name).unlink(missing_ok=True)
            self.pipe_name = None

    def _run(self, request: dict[str, Any]) -> str | None:
        """Send one request to the running LibreOffice (started if need be); what went wrong, if anything."""
        if self._converted >= self.documents_per_process:  # bounds what a long-lived LibreOffice may leak
            self.stop(graceful=True)
        if not self.running:  # never started, or died since the last conversion
            self.stop(graceful=False)
            problem = self._start()
            if problem is not None:
                return problem
        assert self._bridge is not None and self._bridge.stdin is not None
        self._converted += 1
        try:
            self._bridge.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
            self._bridge.stdin.flush()
        except OSError:
            return "LibreOffice stopped before the conversion"
        answer = self._answer(self.seconds_per_document)
        if answer is None and not self.running:
            return "LibreOffice stopped during the conversion"
        if answer is None:
            return f"LibreOffice did not finish within {self.seconds_per_document:g} s and was stopped"
        return None if answer.get("ok") else f"LibreOffice could not convert the document: {answer.get('error')}"

    def _start(self) -> str | None:
        self._scratch = self.profile / "plandoc-tmp"  # next to the profile: nothing of it outside the slot's folder
        self._scratch.mkdir(parents=True, exist_ok=True)
        environment = converter_environment()
        for variable in ("TMPDIR", "TMP", "TEMP"):  # LibreOffice's own temporary files, removed on stop
            environment[variable] = str(self._scratch)
        pipe = self.pipe_name = f"plandoc-{os.getpid()}-{uuid.uuid4().hex}"
        limits = [str(self.startup_seconds), str(GRACEFUL_STOP_SECONDS), str(self.niceness)]
        arguments = [pipe, *limits, *office_command(self.soffice, self.profile)]
        try:
            self._bridge = subprocess.Popen(
                [self.uno_python, "-I", str(BRIDGE), *arguments],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=environment,
                start_new_session=True,
            )
        except OSError as exc:  # the Python with the UNO bindings went away since it was found
            self.stop(graceful=False)
            return f"LibreOffice did not start: {self.uno_python}: {exc.strerror or exc}"
        self.processes_started += 1
        self._converted = 0
        self._buffer = b""
        answer = self._answer(self.startup_seconds + 5)
        if answer is None or not answer.get("ready"):
            self.stop(graceful=False)
            reason = answer.get("error") if answer else f"no answer within {self.startup_seconds:.0f} s"
            return f"LibreOffice did not start: {reason}"
        return None

    def _answer(self, seconds: float) -> dict[str, Any] | None:
        """The bridge's next JSON line, or None if it ends or does not answer within ``seconds``."""
        assert self._bridge is not None and self._bridge.stdout is not None
        stream = self._bridge.stdout
        deadline = time.monotonic() + seconds
        with selectors.DefaultSelector() as selector:
            selector.register(stream, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not selector.select(remaining):
                    return None
                chunk = os.read(stream.fileno(), 65536)
                if not chunk:
                    return None
                self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        try:
            answer: dict[str, Any] = json.loads(line)
        except ValueError:
            return None
        return answer
