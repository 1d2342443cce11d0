"""Finding the PDF's Chinese font: the chosen file, the known places, a bounded search, skipping
CFF-outline fonts reportlab cannot embed, and the visible STSong-Light fallback."""

from __future__ import annotations

import struct
from dataclasses import replace

import pytest

from core.checks import evaluate
from core.pdf.fonts import FALLBACK_FONT, FontSearch, resolve_font
from core.pdf.writer import PdfOptions, write_pdf
from core.profile import default_profile
from tests.pdf_support import UMING, fonts_in, pdffonts, seed_form

needs_uming = pytest.mark.skipif(not UMING.is_file(), reason="needs fonts-arphic-uming (CI installs it)")


def cff_font(path, collection=False):
    """The head of a CFF-outline OpenType font (Noto CJK's kind): reportlab refuses it on sight."""
    otto = b"OTTO" + struct.pack(">HHHH", 1, 16, 0, 0) + b"CFF " + bytes(12)
    data = b"ttcf" + struct.pack(">III", 0x00010000, 1, 16) + otto if collection else otto
    path.write_bytes(data + bytes(256))
    return path


@needs_uming
def test_chosen_font_file_is_used_and_embedded():
    font = resolve_font(UMING, FontSearch())
    assert font.embedded and font.path == UMING and font.warnings == ()


@needs_uming
def test_known_files_are_tried_in_order_and_cff_fonts_are_skipped(tmp_path):
    noto = cff_font(tmp_path / "NotoSansCJK-Regular.ttc", collection=True)
    font = resolve_font(None, FontSearch(files=((noto, 0), (UMING, 0))))
    assert font.path == UMING and font.embedded
    assert font.warnings == ()  # a system font that cannot be used is skipped quietly
    assert any("CFF" in reason and str(noto) in reason for reason in font.skipped)


@needs_uming
def test_an_unusable_chosen_font_is_reported_and_replaced(tmp_path):
    for bad, reason in ((cff_font(tmp_path / "NotoSerifCJK.otf"), "CFF"),
                        (tmp_path / "nothing.ttf", "不存在"),
                        (tmp_path / "garbage.ttf", "TrueType")):
        if bad.name == "garbage.ttf":
            bad.write_bytes(b"not a font at all" * 10)
        font = resolve_font(bad, FontSearch(files=((UMING, 0),)))
        assert font.path == UMING
        assert len(font.warnings) == 1 and str(bad) in font.warnings[0] and reason in font.warnings[0]


@needs_uming
def test_a_latin_only_font_is_not_taken_for_chinese(tmp_path):
    dejavu = UMING.parent.parent / "dejavu" / "DejaVuSans.ttf"
    if not dejavu.is_file():
        pytest.skip("no DejaVu")
    font = resolve_font(dejavu, FontSearch(files=((UMING, 0),)))
    assert font.path == UMING and "常用汉字" in font.warnings[0]


@needs_uming
def test_bounded_search_finds_a_cjk_truetype_font_in_a_font_folder(tmp_path):
    folder = tmp_path / "fonts" / "truetype" / "some-vendor"
    folder.mkdir(parents=True)
    cff_font(folder / "NotoSansCJK-Bold.ttc", collection=True)
    (folder / "ming.ttc").symlink_to(UMING)
    font = resolve_font(None, FontSearch(folders=(tmp_path / "fonts",)))
    assert font.embedded and font.path == folder / "ming.ttc"


def test_without_any_truetype_font_the_fallback_is_stsong_not_embedded_with_a_warning(tmp_path):
    font = resolve_font(None, FontSearch(files=((cff_font(tmp_path / "noto.ttc", True), 0),),
                                         folders=(tmp_path / "empty",)))
    assert (font.name, font.embedded, font.path) == (FALLBACK_FONT, False, None)
    assert "未嵌入" in font.warnings[0]

    evaluation = evaluate(seed_form("A"), default_profile())
    path = tmp_path / "fallback.pdf"
    options = PdfOptions(font_search=FontSearch(folders=(tmp_path / "empty",)))
    warnings = write_pdf(path, [evaluation], options)
    assert any("STSong-Light" in w and "未嵌入" in w for w in warnings)
    assert fonts_in(path) == {FALLBACK_FONT: False}
    assert all(f["emb"] == "no" for f in pdffonts(path))  # poppler lists it only with poppler-data


@needs_uming
def test_characters_missing_from_the_font_are_named_in_a_warning(tmp_path):
    evaluation = evaluate(replace(seed_form("A"), goal_actual="已完成😀"), default_profile())
    warnings = write_pdf(tmp_path / "x.pdf", [evaluation], PdfOptions(font_file=UMING))
    assert any("😀" in w and "缺少" in w for w in warnings)


@needs_uming
def test_resolving_is_cached():
    assert resolve_font(UMING, FontSearch()) is resolve_font(str(UMING), FontSearch())
