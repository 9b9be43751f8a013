"""Convert .docx to .pdf or .doc with LibreOffice, one warm process per group of documents.

Each worker (one ``Converter``) owns a private LibreOffice profile, so several workers
never share one (a second soffice on a shared profile exits without converting). A
group of documents is converted by one ``soffice --convert-to`` call, which starts
LibreOffice once for the whole group instead of once per file; groups hold at most
``documents_per_process`` documents, after which the process is replaced. Every call
has a timeout that grows with the group; documents a crash or a hang left unconverted
(or half-written) are retried once on a fresh process. Processes run in their own
process group and are killed with it on timeout, error, exit and Ctrl-C, so no
``soffice.bin`` outlives plandoc.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from plandoc.data import DATA_FOLDER
from plandoc.errors import FontsMissingError, LibreOfficeMissingError

FONTCONFIG_FILE = DATA_FOLDER / "fonts.conf"
SOFFICE_ENVIRONMENT_VARIABLE = "PLANDOC_SOFFICE"
LIBREOFFICE_HINT = "install LibreOffice: apt-get install libreoffice-writer-nogui (or set PLANDOC_SOFFICE)"
CJK_FONT_HINT = "install a Chinese font: apt-get install fonts-noto-cjk"

FILTERS = {
    "pdf": "pdf:writer_pdf_Export",
    "doc": "doc:MS Word 97",
    "docx": "docx:MS Word 2007 XML",
    "odt": "odt:writer8",
}
PDF_WITH_BOOKMARK_DESTINATIONS = (
    'pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'
)
"""The PDF filter that also exports the document's bookmarks as named destinations (pdfinfo -dests lists them)."""
_SIGNATURES = {"pdf": b"%PDF-", "doc": bytes.fromhex("D0CF11E0A1B11AE1"), "docx": b"PK\x03\x04", "odt": b"PK\x03\x04"}


@dataclass(frozen=True)
class Conversion:
    """The outcome for one document: its output, or why there is none."""

    source: Path
    output: Path | None
    attempts: int
    error: str | None = None


def find_soffice() -> str:
    """The soffice executable to use, or LibreOfficeMissingError naming what to install."""
    configured = os.environ.get(SOFFICE_ENVIRONMENT_VARIABLE)
    if configured:
        if shutil.which(configured) is None:
            raise LibreOfficeMissingError(
                f"{SOFFICE_ENVIRONMENT_VARIABLE}={configured} 不是可执行程序 | is not an executable"
            )
        return configured
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise LibreOfficeMissingError(
        f"找不到 LibreOffice（soffice 不在 PATH 上） | LibreOffice (soffice) is not on PATH: {LIBREOFFICE_HINT}"
    )


def converter_environment(fontconfig_file: Path = FONTCONFIG_FILE) -> dict[str, str]:
    """The environment of plandoc's LibreOffice: plandoc's font rules, a neutral locale."""
    environment = dict(os.environ)
    environment["FONTCONFIG_FILE"] = str(fontconfig_file)
    environment.setdefault("LANG", "C.UTF-8")
    environment.pop("DISPLAY", None)
    return environment


def office_command(soffice: str, profile: Path) -> list[str]:
    """LibreOffice without a window, a start screen, a restore prompt or a lock check, in ``profile``."""
    return [
        soffice,
        "--headless",
        "--invisible",
        "--norestore",
        "--nologo",
        "--nodefault",
        "--nolockcheck",
        f"-env:UserInstallation={profile.as_uri()}",
    ]


def require_cjk_fonts(fontconfig_file: Path = FONTCONFIG_FILE) -> None:
    """Fail with an install hint unless fontconfig can find a Chinese font."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        raise FontsMissingError(
            f"未安装 fontconfig（fc-list），无法使用中文字体 | "
            f"fontconfig (fc-list) is not installed, so no Chinese font can be used: {CJK_FONT_HINT}"
        )
    listed = subprocess.run(
        [fc_list, ":lang=zh", "family"],
        env=converter_environment(fontconfig_file),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if not listed.stdout.strip():
        raise FontsMissingError(
            f"未安装中文字体，PDF 会显示成空方框 | "
            f"no Chinese font is installed, so the PDF would show empty boxes: {CJK_FONT_HINT}"
        )


def looks_complete(path: Path, target_format: str) -> bool:
    try:
        with path.open("rb") as stream:
            head = stream.read(8)
            if not head.startswith(_SIGNATURES[target_format]):
                return False
            if target_format == "pdf":
                stream.seek(max(0, path.stat().st_size - 1024))
                return b"%%EOF" in stream.read()
            return True
    except OSError:
        return False


class Converter:
    """One worker's LibreOffice: a private profile, group conversions, timeouts, one retry."""

    _live: ClassVar[set[Converter]] = set()

    def __init__(
        self,
        *,
        documents_per_process: int = 50,
        seconds_per_document: float = 30.0,
        startup_seconds: float = 60.0,
        fontconfig_file: Path = FONTCONFIG_FILE,
        profile: Path | None = None,
        pdf_filter: str = FILTERS["pdf"],
    ) -> None:
        """``profile``: a LibreOffice profile folder to reuse (kept on close); default a private temporary one.

        ``pdf_filter``: the filter (with options) a conversion to PDF uses.
        """
        self.soffice = find_soffice()
        self.documents_per_process = documents_per_process
        self.seconds_per_document = seconds_per_document
        self.startup_seconds = startup_seconds
        self.environment = converter_environment(fontconfig_file)
        self.fontconfig_file = fontconfig_file
        self.pdf_filter = pdf_filter
        self._owns_profile = profile is None
        self.profile = profile if profile is not None else Path(tempfile.mkdtemp(prefix="plandoc-libreoffice-"))
        # LibreOffice's own temporary files (lu*.tmp) go to a folder of ours, removed on close:
        # a LibreOffice stopped mid-conversion (timeout, Ctrl-C, SIGTERM) never removes its own.
        self.scratch = Path(tempfile.mkdtemp(prefix="plandoc-libreoffice-tmp-"))
        for variable in ("TMPDIR", "TMP", "TEMP"):
            self.environment[variable] = str(self.scratch)
        self.processes_started = 0
        self._process: subprocess.Popen[bytes] | None = None
        Converter._live.add(self)

    def __enter__(self) -> Converter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop any running LibreOffice and remove the private profile."""
        self._kill()
        if self._owns_profile:
            shutil.rmtree(self.profile, ignore_errors=True)
        shutil.rmtree(self.scratch, ignore_errors=True)
        Converter._live.discard(self)

    def convert(self, sources: Sequence[Path], target_format: str, outdir: Path) -> list[Conversion]:
        """Convert each source into ``outdir`` as ``<stem>.<target_format>``.

        Documents are converted in groups of at most ``documents_per_process``, each
        group by one LibreOffice process; what a group leaves unconverted gets one more
        try on a fresh process.
        """
        if target_format not in FILTERS:
            raise ValueError(f"unknown format {target_format!r}")
        if target_format == "pdf":
            require_cjk_fonts(self.fontconfig_file)
        stems = [source.stem for source in sources]
        if len(set(stems)) != len(stems):
            raise ValueError("documents converted together need distinct file names")
        results: dict[Path, Conversion] = {}
        for start in range(0, len(sources), self.documents_per_process):
            group = list(sources[start : start + self.documents_per_process])
            pending = group
            for attempt in (1, 2):
                failure = self._run(pending, target_format, outdir)
                for source in pending:
                    output = outdir / f"{source.stem}.{target_format}"
                    if looks_complete(output, target_format):
                        results[source] = Conversion(source, output, attempt)
                    else:
                        with contextlib.suppress(FileNotFoundError):
                            output.unlink()
                        results[source] = Conversion(source, None, attempt, failure or "LibreOffice wrote no output")
                pending = [s for s in pending if results[s].output is None]
                if not pending:
                    break
        return [results[source] for source in sources]

    def _command(self, sources: Sequence[Path], target_format: str, outdir: Path) -> list[str]:
        return [
            *office_command(self.soffice, self.profile),
            "--convert-to",
            self.pdf_filter if target_format == "pdf" else FILTERS[target_format],
            "--outdir",
            str(outdir),
            *(str(source) for source in sources),
        ]

    def _run(self, sources: Sequence[Path], target_format: str, outdir: Path) -> str | None:
        """Run one LibreOffice process over ``sources``; return what went wrong, if anything."""
        for source in sources:
            with contextlib.suppress(FileNotFoundError):
                (outdir / f"{source.stem}.{target_format}").unlink()
        timeout = self.startup_seconds + self.seconds_per_document * len(sources)
        self._process = subprocess.Popen(
            self._command(sources, target_format, outdir),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=self.environment,
            start_new_session=True,
        )
        self.processes_started += 1
        try:
            _, stderr = self._process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self._kill()
            return f"LibreOffice did not finish within {timeout:.0f} s and was stopped"
        except BaseException:
            self._kill()
            raise
        code = self._process.returncode
        self._kill()  # reaps helpers that outlived the main process, if any
        if code != 0:
            detail = stderr.decode("utf-8", "replace").strip().splitlines()
            reason = f"signal {-code}" if code < 0 else f"exit code {code}"
            return f"LibreOffice stopped with {reason}" + (f": {detail[-1]}" if detail else "")
        return None

    def _kill(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
        # The group's other members (soffice.bin and its helpers) die a moment later than
        # the wrapper; wait until none is left, so no LibreOffice outlives a conversion.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.killpg(process.pid, 0)
            except (ProcessLookupError, PermissionError):
                return
            time.sleep(0.01)


@atexit.register
def stop_all_converters() -> None:
    """Stop every LibreOffice this process started and remove their private profiles."""
    for converter in list(Converter._live):
        converter.close()
