"""A cache of prepared templates and chart layouts, so a cold start renders at once.

Preparing plandoc's template (docxtpl's clean-up, compiling the Jinja code, compressing
the unchanged parts) and laying out a chart shape (python-pptx, XlsxWriter) costs more
than rendering a plan. The first run stores the results in the user's cache folder;
later runs load them without importing docxtpl, python-docx or python-pptx.

- Keyed by a hash of everything the result depends on (the template's bytes, the style
  profile, the source of the code that prepares it, Python's version), so a changed
  template, an upgrade or a change to plandoc itself never sees a stale entry.
- Safe under concurrent first runs: each writer stores a complete file under a private
  temporary name and renames it into place; a reader sees a whole file or none.
- Only an optimisation: an unreadable, corrupt or unwritable cache is ignored and the
  result is prepared afresh. ``PLANDOC_CACHE_DIR`` moves the cache; setting it to an
  empty value turns it off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

CACHE_ENVIRONMENT_VARIABLE = "PLANDOC_CACHE_DIR"
_T = TypeVar("_T")


def cache_folder() -> Path | None:
    """Where prepared results are kept, or None when caching is off."""
    configured = os.environ.get(CACHE_ENVIRONMENT_VARIABLE)
    if configured is not None:
        return Path(configured) if configured else None
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "plandoc" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "plandoc"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "plandoc"


def source_digest(*files: str | None) -> str:
    """A digest of the source files of the code that prepares a result (modules' ``__file__``)."""
    digest = hashlib.sha256()
    for file in files:
        if file is not None:
            digest.update(Path(file).read_bytes())
    return digest.hexdigest()


def cache_key(*parts: bytes | str) -> str:
    """A key for a result that depends on ``parts`` and on this Python."""
    digest = hashlib.sha256()
    for part in (sys.version, *parts):
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()[:32]


def cached(kind: str, key: str, expected: type[_T], prepare: Callable[[], _T]) -> _T:
    """The stored result for ``kind``/``key`` if there is a usable one, else ``prepare()`` stored."""
    folder = cache_folder()
    if folder is None:
        return prepare()
    path = folder / f"{kind}-{key}.pickle"
    try:
        with path.open("rb") as stream:
            # The file is in the user's own cache folder, as trusted as the user's files;
            # anything it holds that is not the expected type is ignored.
            loaded = pickle.load(stream)
        if isinstance(loaded, expected):
            return loaded
    except FileNotFoundError:
        pass
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError, TypeError):
        pass  # a corrupt or foreign file: prepared afresh below, and replaced
    result = prepare()
    _store(path, result)
    return result


def _store(path: Path, result: object) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(descriptor, "wb") as stream:
            pickle.dump(result, stream, protocol=pickle.HIGHEST_PROTOCOL)
        Path(temporary).replace(path)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        Path(temporary).unlink(missing_ok=True)
