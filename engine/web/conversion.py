"""LibreOffice for the web app: a few warm slots, a bounded queue, and files only per request.

Each slot keeps one LibreOffice running for the life of the server (``ResidentConverter``),
so a preview pays for laying out the plan, not for starting LibreOffice; it runs at a lower
CPU priority, so the form's quick requests stay quick while it converts. Where LibreOffice's
UNO bindings are missing, a slot keeps at least its profile folder and starts LibreOffice
per conversion. A request waits for a free slot; when too many already wait, it is told
to wait a moment (「请稍候」) rather than left hanging.
"""

from __future__ import annotations

import asyncio
import base64
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import anyio.to_thread

from plandoc.errors import ConversionBusyError, LibreOfficeMissingError
from plandoc.output.formats import deliver
from plandoc.output.libreoffice import Conversion, Converter, find_soffice
from plandoc.output.preview import preview_pages
from plandoc.output.resident import ResidentConverter, find_uno_python
from plandoc.output.staging import DocumentConverter
from plandoc.web.settings import WebSettings

T = TypeVar("T")
ConverterFactory = Callable[[], DocumentConverter]


def libreoffice_available() -> bool:
    """Whether this machine can convert: the soffice that $PLANDOC_SOFFICE names, or one on PATH."""
    try:
        find_soffice()
    except LibreOfficeMissingError:
        return False
    return True


class ConversionPool:
    """Slots of warm LibreOffice profiles shared by the requests of one server process."""

    def __init__(self, settings: WebSettings) -> None:
        self.settings = settings
        self._profiles = [
            Path(tempfile.mkdtemp(prefix="plandoc-web-libreoffice-")) for _ in range(settings.conversion_slots)
        ]
        self._free: asyncio.Queue[Path] = asyncio.Queue()
        for profile in self._profiles:
            self._free.put_nowait(profile)
        self._residents: dict[Path, ResidentConverter] = {}
        if settings.resident and libreoffice_available():
            uno_python = find_uno_python(find_soffice())
            if uno_python is not None:
                self._residents = {
                    profile: ResidentConverter(
                        profile,
                        uno_python,
                        seconds_per_document=settings.seconds_per_conversion,
                        startup_seconds=settings.seconds_per_conversion,
                        niceness=settings.conversion_niceness,
                    )
                    for profile in self._profiles
                }
        self.waiting = 0
        self.warm = False

    @property
    def resident(self) -> bool:
        """Whether the slots keep LibreOffice running between conversions."""
        return bool(self._residents)

    @property
    def libreoffice_starts(self) -> int:
        """How many times the resident LibreOffices have started (once each, unless one failed)."""
        return sum(resident.processes_started for resident in self._residents.values())

    @property
    def busy(self) -> int:
        """Slots converting right now."""
        return len(self._profiles) - self._free.qsize()

    async def run(self, work: Callable[[ConverterFactory], T]) -> T:
        """Run ``work`` in a thread with a converter factory bound to a free slot's profile."""
        find_soffice()
        if self.waiting >= self.settings.conversion_queue:
            raise ConversionBusyError(
                "请稍候：正在为其他用户生成文档，队列已满，请稍后再试。 (all converters are busy)"
            )
        self.waiting += 1
        try:
            profile = await asyncio.wait_for(self._free.get(), self.settings.queue_wait_seconds)
        except TimeoutError:
            raise ConversionBusyError("请稍候：排队时间过长，请稍后再试。 (waited too long for a converter)") from None
        finally:
            self.waiting -= 1
        try:
            seconds = self.settings.seconds_per_conversion
            resident = self._residents.get(profile)

            def converter() -> DocumentConverter:
                if resident is not None:
                    return _Lease(resident)
                return Converter(profile=profile, seconds_per_document=seconds, startup_seconds=seconds)

            return await anyio.to_thread.run_sync(work, converter)
        finally:
            self._free.put_nowait(profile)

    async def warm_up(self, docx: bytes) -> None:
        """Convert one document in every slot, so each profile exists before the first user."""
        await asyncio.gather(*(self.run(lambda factory: convert(docx, "pdf", factory)) for _ in self._profiles))
        self.warm = True

    def close(self) -> None:
        """Stop the resident LibreOffices and remove the profile folders."""
        for resident in self._residents.values():
            resident.close()
        for profile in self._profiles:
            shutil.rmtree(profile, ignore_errors=True)


class _Lease:
    """A slot's resident LibreOffice lent to one request: closing the lease leaves it running."""

    def __init__(self, resident: ResidentConverter) -> None:
        self._resident = resident

    def convert(self, sources: Sequence[Path], target_format: str, outdir: Path) -> list[Conversion]:
        return self._resident.convert(sources, target_format, outdir)

    def close(self) -> None:
        """Nothing to stop: the LibreOffice belongs to the slot."""


def convert(docx: bytes, target_format: str, converter: ConverterFactory) -> bytes:
    """The document converted to .pdf or .doc, through a temporary folder removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="plandoc-web-") as folder:
        target = Path(folder) / f"plan.{target_format}"
        deliver(docx, {target_format: target}, converter=converter)
        return target.read_bytes()


def page_images(docx: bytes, resolution: int, converter: ConverterFactory) -> list[str]:
    """Every page of the document as a JPEG ``data:`` URL, through a temporary folder removed afterwards.

    JPEG rather than PNG: poppler writes a page's JPEG several times faster than its PNG,
    and the page image on screen is a preview, not the document.
    """
    with tempfile.TemporaryDirectory(prefix="plandoc-web-") as folder:
        images = preview_pages(docx, "plan", Path(folder), (1, None), resolution, converter=converter, image="jpeg")
        return ["data:image/jpeg;base64," + base64.b64encode(image.read_bytes()).decode("ascii") for image in images]
