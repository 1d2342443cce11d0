"""The xlsx family: the official import template read and written.

    guard.py   file limits and the bounded reading copy given to openpyxl
    reader.py  every form of a workbook, found by its labels
    writer.py  a form drawn fresh from its layout
    scan.py    element extents of a sheet's XML, for splicing
    patch.py   the export into a copy of the system's workbook, clerk cells only
    verify.py  an exported file read back before it takes its final name
"""
