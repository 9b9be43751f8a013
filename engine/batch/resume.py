"""Resume: what earlier runs of a batch rendered, so a plan whose outputs are up to date is skipped.

Each finished plan leaves a line in ``.plandoc-batch/state.jsonl``: its output name, the
fingerprint of what it was rendered from (plan text, template, profile, formats, plandoc
version) and the SHA-256 of each output. A later run skips a plan with the same
fingerprint whose files are intact.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import uuid
import zipfile
from typing import TextIO

from plandoc.batch.results import OutputRecord, PlanResult
from plandoc.batch.sources import BatchItem
from plandoc.output.atomic import open_for_appending
from plandoc.output.store import OutputStore

WORK_FOLDER = ".plandoc-batch"
STATE_NAME = "state.jsonl"
STATE_PIECE = 64


def is_whole_document(data: bytes, fmt: str) -> bool:
    """Whether ``data`` is a complete document of format ``fmt`` (a zip that reads, a PDF with its end)."""
    if fmt == "pdf":
        return data.startswith(b"%PDF") and b"%%EOF" in data[-1024:]
    if fmt == "doc":
        return data.startswith(b"\xd0\xcf\x11\xe0")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return package.testzip() is None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return False


def fingerprint(item: BatchItem, context: str) -> str:
    """What a plan is rendered from: its text (or data) and the batch's ``context`` (template, formats …)."""
    payload = item.text if item.text is not None else json.dumps(item.data, sort_keys=True, default=str)
    return hashlib.sha256(f"{context}\n{payload}".encode()).hexdigest()


class ResumeState:
    """What earlier runs rendered: output name → (fingerprint, output hashes).

    In a folder it is one journal, appended and flushed as each plan finishes, so a
    killed batch loses nothing. At a URL, where objects cannot be appended to, it is
    written in pieces of STATE_PIECE lines.
    """

    def __init__(self, store: OutputStore) -> None:
        self.store = store
        self.previous: dict[str, tuple[str, dict[str, str]]] = {}
        names = [f"{WORK_FOLDER}/{STATE_NAME}"] if store.is_local else store.names(f"{WORK_FOLDER}/state-")
        for name in names:
            for line in (store.read(name) or b"").decode("utf-8", "replace").splitlines():
                with contextlib.suppress(ValueError, KeyError, TypeError):
                    entry = json.loads(line)
                    self.previous[entry["name"]] = (entry["fingerprint"], entry["outputs"])
        self._stream: TextIO | None = None
        self._journal_lost = False
        self._piece: list[str] = []
        self._run = uuid.uuid4().hex[:12]
        self._pieces = 0

    def up_to_date(self, name: str, fingerprint: str, formats: tuple[str, ...]) -> dict[str, OutputRecord] | None:
        """The output records if ``name`` was rendered from the same input and its files are intact."""
        known = self.previous.get(name)
        if known is None or known[0] != fingerprint or set(known[1]) != set(formats):
            return None
        records = {}
        for fmt, digest in known[1].items():
            data = self.store.read(f"{name}.{fmt}")
            if data is None or hashlib.sha256(data).hexdigest() != digest:
                return None
            records[fmt] = OutputRecord(f"{name}.{fmt}", digest, len(data))
        return records

    def changed_since_written(self, name: str) -> list[str]:
        """The outputs of ``name`` an earlier run wrote that are still whole documents but not what it wrote.

        Someone edited them: a resumed batch must not overwrite that work. A missing or
        damaged output (a truncated copy, say) is not an edit, and is written again.
        """
        known = self.previous.get(name)
        changed = []
        for fmt, digest in (known[1] if known else {}).items():
            data = self.store.read(f"{name}.{fmt}")
            if data is not None and hashlib.sha256(data).hexdigest() != digest and is_whole_document(data, fmt):
                changed.append(f"{name}.{fmt}")
        return changed

    def record(self, result: PlanResult) -> None:
        """Remember a successfully rendered plan."""
        outputs = {fmt: record.sha256 for fmt, record in result.outputs.items()}
        line = json.dumps({"name": result.name, "fingerprint": result.fingerprint, "outputs": outputs},
                          ensure_ascii=False) + "\n"  # fmt: skip
        if self.store.folder is not None:
            if self._stream is None and not self._journal_lost:
                self._stream = open_for_appending(self.store.folder / WORK_FOLDER / STATE_NAME)
            if self._stream is not None:
                try:
                    self._stream.write(line)
                    self._stream.flush()
                except OSError:
                    # A full disk: the plans' outputs fail for the same reason and say so; the
                    # journal only loses the chance to skip them next time (a torn last line is
                    # ignored when the journal is read).
                    self._journal_lost = True
                    self.close()
            return
        self._piece.append(line)
        if len(self._piece) >= STATE_PIECE:
            self._write_piece()

    def _write_piece(self) -> None:
        if self._piece:
            self._pieces += 1
            name = f"{WORK_FOLDER}/state-{self._run}-{self._pieces:06d}.jsonl"
            self.store.write(name, "".join(self._piece).encode("utf-8"))
            self._piece = []

    def close(self) -> None:
        """Close the journal, or write the last piece at a URL."""
        if self._stream is not None:
            with contextlib.suppress(OSError):  # reported at the failed write, see record()
                self._stream.close()
            self._stream = None
        self._write_piece()
