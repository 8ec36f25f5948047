import sys
from fontTools.ttLib import TTFont, TTCollection, newTable
from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen

chars = set(range(0x20, 0x7f))
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(ord(bytes([hi, lo]).decode("gb2312")))
        except UnicodeDecodeError:
            pass
chars |= set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0)) | {0x2014, 0x2018,0x2019,0x201c,0x201d,0x2026,0x00b7,0x2022,0x00d7,0x2116,0x2103,0x00a5}
print(len(chars))
src, idx, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
if src.endswith(".ttc"):
    font = TTCollection(src).fonts[idx]
else:
    font = TTFont(src)
opts = subset.Options(); opts.layout_features = []; opts.name_IDs=["*"]; opts.notdef_outline=True; opts.hinting=False; opts.desubroutinize=True
opts.drop_tables += ["GSUB","GPOS","GDEF","BASE","VORG","vhea","vmtx","DSIG"]
s = subset.Subsetter(opts); s.populate(unicodes=chars); s.subset(font)
if "CFF " in font:
    order = font.getGlyphOrder(); gs = font.getGlyphSet(); glyf = {}
    for name in order:
        pen = TTGlyphPen(gs); gs[name].draw(Cu2QuPen(pen, 2.0, reverse_direction=True)); glyf[name] = pen.glyph()
    del font["CFF "]
    if "VORG" in font: del font["VORG"]
    font["loca"] = newTable("loca"); g = font["glyf"] = newTable("glyf"); g.glyphOrder = order; g.glyphs = glyf
    font["maxp"] = newTable("maxp"); m = font["maxp"]; m.tableVersion = 0x00010000
    for k in ("maxZones","maxTwilightPoints","maxStorage","maxFunctionDefs","maxInstructionDefs","maxStackElements","maxSizeOfInstructions","maxComponentElements"): setattr(m,k,0)
    m.maxZones=1
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0
    font.sfntVersion = "\x00\x01\x00\x00"
    font["glyf"].compile(font)  # recalcs
font.save(out)
