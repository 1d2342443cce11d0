"""The PDF family: the form printed for signing.

    writer.py  the PDF (and the bytes the print preview shows)
    pages.py   the sheet laid out on A4 pages, one page when it fits
    lines.py   Chinese line breaking (避头尾), linear in the text's length
    fonts.py   the embedded CJK TrueType font, found per platform
"""
