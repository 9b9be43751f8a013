"""Open a .docx that nobody vouches for: zip and XML limits, no entities, no DTDs.

A checked document may come from anyone. Its zip is judged from the central directory
before anything is decompressed (entry count, total size, compression ratio), every
entry is read no further than it claims, and XML is parsed without DTDs, entities or
network access, within libxml2's default depth and size limits.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

from plandoc.errors import InputFileError, UnreadableDocumentError
from plandoc.input_file import read_regular_file

MAX_ENTRIES = 1_000
MAX_TOTAL_BYTES = 100 * 1024 * 1024
MAX_PART_BYTES = 50 * 1024 * 1024
MAX_RATIO = 100
"""Deflated XML of a real document compresses 5–20 times; a zip bomb, thousands of times."""
MAX_FILE_BYTES = 100 * 1024 * 1024


_SIGNATURES = {
    b"%PDF": "a PDF",
    b"\xd0\xcf\x11\xe0": "an old Word .doc (convert it to .docx)",
    b"{\\rtf": "an RTF file",
}


def zip_limit_problem(entries: list[zipfile.ZipInfo]) -> str | None:
    """Why a zip with these directory entries is refused before anything is decompressed, if it is."""
    if len(entries) > MAX_ENTRIES:
        return (
            f"{len(entries)} 个 zip 条目，超过 {MAX_ENTRIES} | {len(entries)} zip entries; a document has a few dozen"
        )
    total = sum(entry.file_size for entry in entries)
    if total > MAX_TOTAL_BYTES:
        return (
            f"解压后有 {total:,} 字节（zip 炸弹？） | would unpack to {total:,} bytes (a zip bomb?); "
            f"the limit is {MAX_TOTAL_BYTES:,}"
        )
    for entry in entries:
        if entry.flag_bits & 0x1:
            return f"{entry.filename} 已加密，请先去掉密码 | is encrypted; remove the password first"
        ratio = entry.file_size // max(entry.compress_size, 1)
        if entry.file_size > 1024 * 1024 and ratio > MAX_RATIO:
            return f"{entry.filename} 解压后膨胀 {ratio:,} 倍（zip 炸弹？） | expands {ratio:,} times (a zip bomb?)"
    return None


_COMPOUND_FILE = b"\xd0\xcf\x11\xe0"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
"""Word keeps a password-protected .docx, encrypted, as a stream of this name in a compound file
(the container of an old .doc too), so the file starts like a .doc but is not one."""
PASSWORD_PROTECTED = (
    "受密码保护的 Word 文档，无法读取；请在 Word 中取消密码后另存 | "
    "a password-protected Word document, which cannot be read; remove the password in Word and save it again"
)


class SafePackage:
    """The parts of a .docx, read under limits."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            data = read_regular_file(path, ("a .docx", "Word 文档"), MAX_FILE_BYTES)
        except InputFileError as error:
            raise UnreadableDocumentError(f"{path}: {error.reason}") from None
        kind = next((name for signature, name in _SIGNATURES.items() if data.startswith(signature)), None)
        if data.startswith(_COMPOUND_FILE) and _ENCRYPTED_PACKAGE in data:
            raise UnreadableDocumentError(f"{path}: {PASSWORD_PROTECTED}")
        if kind is not None:
            raise UnreadableDocumentError(f"{path}: 不是 .docx 文件（而是 {kind}） | not a .docx; it is {kind}")
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            raise UnreadableDocumentError(
                f"{path}: 不是 .docx（不是 zip 包，或文件不完整） | not a .docx (not a zip package, or a truncated one)"
            ) from None
        self._check_directory()

    def _check_directory(self) -> None:
        problem = zip_limit_problem(self._zip.infolist())
        if problem is not None:
            raise UnreadableDocumentError(f"{self.path}: {problem}")
        if "word/document.xml" not in self._zip.namelist():
            raise UnreadableDocumentError(
                f"{self.path}: 不是 Word 文档（没有 word/document.xml） | not a Word document (no word/document.xml)"
            )

    def names(self) -> list[str]:
        """The names of the package's parts, in zip order."""
        return self._zip.namelist()

    def has(self, name: str) -> bool:
        """Whether the package has the part ``name``."""
        return name in self._zip.namelist()

    def read(self, name: str) -> bytes:
        """A part's bytes, never more than it declares nor MAX_PART_BYTES."""
        try:
            info = self._zip.getinfo(name)
            limit = min(info.file_size, MAX_PART_BYTES)
            with self._zip.open(info) as stream:
                data = stream.read(limit + 1)
        except (zipfile.BadZipFile, OSError, EOFError, KeyError) as exc:
            raise UnreadableDocumentError(f"{self.path}: {name} 已损坏 | {name} is damaged ({exc})") from None
        if len(data) > limit:
            raise UnreadableDocumentError(
                f"{self.path}: {name} 比声明的大（压缩炸弹？） | {name} is larger than it claims (a zip bomb?)"
            )
        return data

    def xml(self, name: str) -> etree._Element:
        """A part parsed as XML without DTDs, entities or network access."""
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
        try:
            root = etree.fromstring(self.read(name), parser, base_url=name)
        except etree.XMLSyntaxError as exc:
            raise UnreadableDocumentError(
                f"{self.path}: {name} 不是格式正确的 XML | {name} is not well-formed XML ({exc})"
            ) from None
        if root.getroottree().docinfo.doctype:  # type: ignore[union-attr]
            raise UnreadableDocumentError(
                f"{self.path}: {name} 声明了 DTD，Word 文档不会这样 | "
                f"{name} declares a DTD, which no Word document does"
            )
        return root
