"""Make docs/contact-sheet.png: every page of the sample plan, side by side, as printed.

Run ``.venv/bin/python docs/contact_sheet.py`` after a change to the layout (needs
LibreOffice and poppler-utils); the README shows the image.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

from plandoc.output.preview import preview_pages
from plandoc.pipeline import check_file, render_checked

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "ding-qiang.yaml"
OUTPUT = ROOT / "docs" / "contact-sheet.png"
RESOLUTION = 40
"""Dots per inch of each page: an A4 page is 331 × 468 pixels."""
COLUMNS = 4
GAP = 16
BACKGROUND = (226, 226, 226)
EDGE = (160, 160, 160)


def contact_sheet(pages: list[Path], columns: int = COLUMNS) -> Image.Image:
    """The page images tiled left to right, top to bottom, each with a thin edge."""
    images = [Image.open(page).convert("RGB") for page in pages]
    width, height = images[0].size
    rows = -(-len(images) // columns)
    sheet = Image.new("RGB", (columns * (width + GAP) + GAP, rows * (height + GAP) + GAP), BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    for index, image in enumerate(images):
        left = GAP + (index % columns) * (width + GAP)
        top = GAP + (index // columns) * (height + GAP)
        sheet.paste(image, (left, top))
        draw.rectangle((left - 1, top - 1, left + width, top + height), outline=EDGE)
    return sheet


def main(argv: list[str] | None = None) -> int:
    """Render the sample, take a picture of every page and tile them into one PNG."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("plan", nargs="?", type=Path, default=SAMPLE)
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    docx = render_checked(check_file(args.plan))
    with tempfile.TemporaryDirectory() as folder:
        pages = preview_pages(docx, args.plan.stem, Path(folder), (1, None), resolution=RESOLUTION)
        # a 64-colour palette keeps the picture small in the repository; the pages are mostly black on white
        contact_sheet(pages).quantize(colors=64).save(args.output, optimize=True)
    print(f"wrote {args.output} ({len(pages)} pages)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
