"""The Chinese font every PDF of the product embeds.

reportlab's built-in CID fonts (STSong-Light) are NOT embedded: a reader without that font shows boxes
or substitutes another. The documents therefore embed a TrueType font shipped with the code: Noto Serif
CJK SC (SIL Open Font License, see OFL.txt) cut down to GB2312 — the 6,763 common hanzi, ASCII and the
Chinese punctuation — and converted to TrueType outlines, which reportlab embeds as a subset
(FontFile2) holding only the glyphs a document uses. `make_subset.py` rebuilds it from the fonts-noto-cjk
package. A character outside GB2312 is drawn as an empty box: the set every official document uses.
"""

from __future__ import annotations

from pathlib import Path

FONT = "NotoSerifSC"
FONT_FILE = Path(__file__).resolve().parent / "NotoSerifSC-GB2312.ttf"


def cjk_font() -> str:
    """The name of the embedded Chinese font, registered with reportlab on first use."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE)))
    return FONT
