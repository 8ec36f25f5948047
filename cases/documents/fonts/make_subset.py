"""Rebuild NotoSerifSC-GB2312.ttf from Debian's fonts-noto-cjk with fontTools (python3-fonttools):

    python3 cases/documents/fonts/make_subset.py \\
        /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc 2 cases/documents/fonts/NotoSerifSC-GB2312.ttf

(font 2 of the collection is the SC one). Keeps GB2312, ASCII and the CJK punctuation, drops the layout
tables and converts the CFF outlines to TrueType quadratics (reportlab embeds TrueType outlines only).
A build tool, not imported by the product.
"""

import sys

from fontTools import subset  # type: ignore[import-not-found]
from fontTools.pens.cu2quPen import Cu2QuPen  # type: ignore[import-not-found]
from fontTools.pens.ttGlyphPen import TTGlyphPen  # type: ignore[import-not-found]
from fontTools.ttLib import TTCollection, TTFont, newTable  # type: ignore[import-not-found]

EXTRA = {0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x00B7, 0x2022, 0x00D7, 0x2116, 0x2103, 0x00A5}
MAX_ERROR = 2.0  # font units a quadratic may stray from the cubic curve


def gb2312() -> set[int]:
    chars = set(range(0x20, 0x7F)) | set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0)) | EXTRA
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes([hi, lo]).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return chars


def to_truetype(font) -> None:
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    outlines = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        outlines[name] = pen.glyph()
    del font["CFF "]
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = outlines
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for key in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, key, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0
    font.sfntVersion = "\x00\x01\x00\x00"
    glyf.compile(font)


def main(source: str, index: int, target: str) -> None:
    font = TTCollection(source).fonts[index] if source.endswith(".ttc") else TTFont(source)
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = True
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=gb2312())
    subsetter.subset(font)
    if "CFF " in font:
        to_truetype(font)
    font.save(target)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
