"""Gather a class's submissions: every .docx in folders and zips, other files noted, zips read under limits.

A zip handed in by a class is as untrusted as a single document. Its members are judged
from the central directory before anything is unpacked (entry count, total size, each
member's size and compression ratio), and a member is copied out under a generated name,
never under the name it claims, so ``../`` or an absolute name cannot write anywhere.
Names the zip stores in the local code page (GBK on Chinese Windows) are decoded as such.
"""

from __future__ import annotations

import itertools
import os
import stat
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from plandoc.errors import InputFileError
from plandoc.input_file import open_regular_file
from plandoc.ooxml.safe_package import MAX_FILE_BYTES, MAX_RATIO

MAX_CLASS_ENTRIES = 5_000
"""A class of 60 hands in a few hundred entries at most."""
MAX_CLASS_BYTES = 1024 * 1024 * 1024
"""What the .docx members of one zip may unpack to, together."""

_UTF8_NAME_FLAG = 0x800


@dataclass(frozen=True)
class Submission:
    """One student's document: its name as shown, where to read it, or why it cannot be read."""

    name: str
    path: Path | None
    problem: str | None = None
    """Why the document cannot be checked (bilingual), when it is known before reading it."""


@dataclass(frozen=True)
class SkippedFile:
    """A file of the class that is not a document to check, and why (bilingual)."""

    name: str
    reason: str


@dataclass(frozen=True)
class ClassFiles:
    """Every submission found, in a stable order, and every file passed over."""

    submissions: tuple[Submission, ...]
    skipped: tuple[SkippedFile, ...]


def is_class_source(path: Path) -> bool:
    """A folder or a .zip: a whole class rather than one document."""
    return path.is_dir() or path.suffix.lower() == ".zip"


def _skip_reason(name: str) -> str | None:
    """Why a file named ``name`` (a relative path) is not checked, or None for a .docx to check."""
    parts = PurePosixPath(name).parts
    base = parts[-1] if parts else name
    if base.startswith("~$"):
        return "Word 打开文档时留下的锁文件，未检查 | a lock file Word leaves beside an open document, not checked"
    if base.startswith(".") or "__MACOSX" in parts:
        return "隐藏文件或 macOS 附带的文件，未检查 | a hidden or macOS resource file, not checked"
    suffix = PurePosixPath(base).suffix.lower()
    if suffix == ".docx":
        return None
    if suffix in (".doc", ".wps", ".rtf", ".odt"):
        return f"是 {suffix} 文件，请另存为 .docx 后再交 | a {suffix} file; save it as .docx to have it checked"
    if suffix == ".zip":
        return "压缩包中的压缩包不展开，请解压后再检查 | a zip inside the class is not opened; unpack it first"
    return "不是 .docx 文件，未检查 | not a .docx file, not checked"


def _folder_files(folder: Path) -> Iterator[tuple[str, Path]]:
    """Every regular file under ``folder`` as (relative name, path), sorted, symbolic-link folders not entered."""
    for root, folders, files in os.walk(folder):
        folders.sort()
        for name in sorted(files):
            path = Path(root, name)
            yield path.relative_to(folder).as_posix(), path


def _member_name(info: zipfile.ZipInfo) -> str:
    name = info.filename
    if not info.flag_bits & _UTF8_NAME_FLAG:
        raw = name.encode("cp437", errors="replace")
        for encoding in ("utf-8", "gb18030"):
            try:
                name = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    return name.replace("\\", "/")


def _unsafe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return path.is_absolute() or ".." in path.parts or (len(name) > 1 and name[1] == ":")


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    if info.flag_bits & 0x1:
        return "已加密，请去掉密码后再交 | is encrypted; remove the password first"
    if info.file_size > MAX_FILE_BYTES:
        return f"大于 {MAX_FILE_BYTES >> 20} MiB | is larger than {MAX_FILE_BYTES >> 20} MiB"
    if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        ratio = info.file_size // max(info.compress_size, 1)
        return f"解压后膨胀 {ratio:,} 倍（疑似 zip 炸弹） | expands {ratio:,} times (a zip bomb?)"
    return None


def _copy_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path) -> str | None:
    """Copy one member to ``target``, never more than it declares; the problem when it cannot be read."""
    try:
        with archive.open(info) as stream:
            data = stream.read(info.file_size + 1)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
        return f"在压缩包中已损坏 | is damaged in the zip ({exc})"
    if len(data) > info.file_size:
        return "比压缩包所声明的大（疑似 zip 炸弹） | is larger than the zip declares (a zip bomb?)"
    target.write_bytes(data)
    return None


def _zip_members(archive: zipfile.ZipFile, scratch: Path, prefix: str) -> tuple[list[Submission], list[SkippedFile]]:
    entries = [info for info in archive.infolist() if not info.is_dir()]
    if len(entries) > MAX_CLASS_ENTRIES:
        raise InputFileError(f"有 {len(entries):,} 个文件，超过上限 | holds {len(entries):,} files", "zip-limits")
    named = [(prefix + _member_name(info), info) for info in entries]
    documents = [(name, info) for name, info in named if _skip_reason(name) is None and not _unsafe_name(name)]
    total = sum(info.file_size for _, info in documents)
    if total > MAX_CLASS_BYTES:
        raise InputFileError(
            f"其中文档解压后共 {total:,} 字节，超过上限 {MAX_CLASS_BYTES:,}（疑似 zip 炸弹） | "
            f"its documents would unpack to {total:,} bytes, over {MAX_CLASS_BYTES:,} (a zip bomb?)",
            "zip-limits",
        )
    submissions: list[Submission] = []
    skipped: list[SkippedFile] = []
    copies = itertools.count(len(list(scratch.iterdir())))
    for name, info in sorted(named, key=lambda pair: pair[0]):
        reason = _skip_reason(name)
        if _unsafe_name(name):
            reason = "路径含 .. 或为绝对路径，未检查 | its path climbs out (..) or is absolute, not checked"
        elif stat.S_ISLNK(info.external_attr >> 16):
            reason = "是符号链接，未检查 | is a symbolic link, not checked"
        if reason is not None:
            skipped.append(SkippedFile(name, reason))
            continue
        problem = _member_problem(info)
        target = scratch / f"{next(copies):05d}.docx"
        if problem is None:
            problem = _copy_member(archive, info, target)
        submissions.append(Submission(name, target if problem is None else None, problem))
    return submissions, skipped


def _from_zip(source: Path, scratch: Path, prefix: str) -> tuple[list[Submission], list[SkippedFile]]:
    try:
        with open_regular_file(source, ("a .zip of documents", "压缩包")) as stream, zipfile.ZipFile(stream) as archive:
            return _zip_members(archive, scratch, prefix)
    except InputFileError as error:
        return [Submission(prefix or source.name, None, error.reason)], []
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        reason = f"不是可读的 zip 压缩包 | not a readable zip ({exc})"
        return [Submission(prefix or source.name, None, reason)], []


def gather_class(sources: Sequence[Path], scratch: Path) -> ClassFiles:
    """Every .docx in ``sources`` (documents, folders, zips); zip members are copied into ``scratch``.

    With one folder or zip, a submission is named by its path inside it; with several
    sources, by the source's path and that path, so two classes' 张三.docx stay apart.
    """
    submissions: list[Submission] = []
    skipped: list[SkippedFile] = []
    for source in sources:
        prefix = f"{source.as_posix()}/" if len(sources) > 1 else ""
        if source.is_dir():
            for name, path in _folder_files(source):
                reason = _skip_reason(name)
                if reason is None:
                    submissions.append(Submission(prefix + name, path))
                else:
                    skipped.append(SkippedFile(prefix + name, reason))
        elif source.suffix.lower() == ".zip":
            found, passed_over = _from_zip(source, scratch, prefix)
            submissions += found
            skipped += passed_over
        else:
            submissions.append(Submission(str(source), source))
    return ClassFiles(tuple(submissions), tuple(skipped))
