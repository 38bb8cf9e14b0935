"""Render an Arabic answer the way a terminal without bidi shows it, to a PNG for a person.

A terminal draws cells left to right and shapes nothing, so this draws the kiosk's
visual lines with Pillow's basic layout (no bidi, no shaping by the font): if the
picture reads correctly right to left, with joined letters, whole numbers and brackets
the right way round, the kiosk's reordering is right. Needs Pillow and a font with
Arabic presentation forms (DejaVu Sans): `pip install pillow`.

    python benchmarks/rtl_render.py [ARTICLE_ID] [OUT.png]
"""

from __future__ import annotations

import sys

from PIL import Image, ImageDraw, ImageFont

from kiosk.assistant import Assistant
from kiosk.config import KioskConfig
from kiosk.ui import bidi
from kiosk.ui.text import markdown_as_text

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def main() -> None:
    article = sys.argv[1] if len(sys.argv) > 1 else "visits.booking"
    out = sys.argv[2] if len(sys.argv) > 2 else "rtl-check.png"
    answer = Assistant(KioskConfig()).answer(article, "ar")
    width = 60
    lines: list[str] = []
    for text in (answer.title, answer.summary, markdown_as_text(answer.body)):
        lines += [*bidi.visual_lines(text, width), ""]
    font = ImageFont.truetype(FONT, 18, layout_engine=ImageFont.Layout.BASIC)
    image = Image.new("RGB", (900, 26 * len(lines) + 20), "white")
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        text = line.strip()
        draw.text((880 - draw.textlength(text, font=font), 10 + 26 * i), text, font=font,
                  fill="black")  # fmt: skip
    image.save(out)
    print(f"{out}: {len(lines)} lines of {article} in Arabic, right-aligned")


if __name__ == "__main__":
    main()
