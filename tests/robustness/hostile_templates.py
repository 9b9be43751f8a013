"""Templates written to attack the renderer: tag code, zip bombs, external references, macros."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DOCUMENT_RELS = "word/_rels/document.xml.rels"


def template_with(path: Path, *paragraphs: str) -> Path:
    """A .docx whose body is one paragraph per string."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def rewritten(source: Path, target: Path, changes: dict[str, bytes]) -> Path:
    """A copy of ``source`` with the parts in ``changes`` replaced or added."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for name in original.namelist():
            if name not in changes:
                copy.writestr(name, original.read(name))
        for name, blob in changes.items():
            copy.writestr(name, blob)
    return target


def _part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


def with_relationship(source: Path, target: Path, kind: str, to: str, *, external: bool, body: str = "") -> Path:
    """``source`` with one more relationship of the document, ``rIdHostile``, and ``body`` XML before the
    section properties of the document (which may refer to it)."""
    mode = ' TargetMode="External"' if external else ""
    relationship = f'<Relationship Id="rIdHostile" Type="{kind}" Target="{to}"{mode}/>'
    rels = _part(source, DOCUMENT_RELS).replace(b"</Relationships>", relationship.encode() + b"</Relationships>")
    document = _part(source, "word/document.xml").replace(b"<w:sectPr", body.encode() + b"<w:sectPr", 1)
    return rewritten(source, target, {DOCUMENT_RELS: rels, "word/document.xml": document})


def linked_picture(url: str) -> str:
    """A paragraph holding a picture that is not in the package but fetched from ``url`` (``rIdHostile``)."""
    return (
        '<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
        '<wp:extent cx="952500" cy="952500"/><wp:docPr id="77" name="linked"/>'
        '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:nvPicPr><pic:cNvPr id="77" name="linked.png"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip xmlns:r="{R}" r:link="rIdHostile"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        '<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="952500" cy="952500"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
        f"</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p><!-- {url} -->"
    )


def include_picture_field(url: str) -> str:
    """A paragraph holding an INCLUDEPICTURE field that fetches ``url``."""
    field = f'<w:fldSimple w:instr=" INCLUDEPICTURE &quot;{url}&quot; \\d "><w:r><w:t>x</w:t></w:r></w:fldSimple>'
    return f"<w:p>{field}</w:p>"


def zip_bomb(source: Path, target: Path, size: int = 1024**3) -> Path:
    """``source`` with a part of ``size`` zero bytes, deflated to about a thousandth of that."""
    rewritten(source, target, {})
    block = bytes(1024 * 1024)
    with (
        zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("word/media/padding.bin", "w", force_zip64=True) as part,
    ):
        for _ in range(size // len(block)):
            part.write(block)
    return target
