"""The Chinese font of the PDF: found, checked and registered with reportlab once per file.

Order of preference: the font file the clerk chose in settings; Windows' SimSun (宋体); a TrueType
CJK font under resources/fonts/ (the packaged Linux build carries one); the usual Linux TrueType CJK
fonts (AR PL UMing, WenQuanYi); then a bounded search of the font folders. reportlab embeds only
TrueType outlines: the CFF-outline Noto / Source Han CJK fonts that UOS and Kylin ship raise TTFError
and are skipped. When nothing usable exists, the built-in CID font STSong-Light is used; it is not
embedded (the reader's own font draws the text), so it always comes with a visible warning.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from core.paths import resource

FALLBACK_FONT = "STSong-Light"
# A font that lacks any of these cannot print the form.
PROBE = "项目支出绩效自评表年度总体目标指标得分"
FONT_SUFFIXES = (".ttf", ".ttc")
# The bounded search: how deep, how many folder entries, how many fonts actually parsed.
SEARCH_DEPTH = 4
SEARCH_ENTRIES = 5000
SEARCH_PARSES = 8
SEARCH_MIN_BYTES = 2_000_000  # a font with a full CJK repertoire is megabytes; skip Latin fonts
CJK_NAME_HINTS = ("cjk", "song", "sun", "ming", "kai", "hei", "fang", "wqy", "han", "cn", "sc", "gb",
                  "chinese", "yuan", "li")


@dataclass(frozen=True)
class FontSearch:
    """Where to look: known files in order of preference (path, TTC subfont index), then folders
    searched within bounds. Tests pass an empty search to exercise the fallback."""

    files: tuple[tuple[Path, int], ...] = ()
    folders: tuple[Path, ...] = ()


@dataclass(frozen=True)
class PdfFont:
    """The font the PDF is drawn with. `name` is registered with reportlab. `path` is None for the
    built-in fallback, which is not embedded. `warnings` are Chinese sentences for the clerk;
    `skipped` says why each font tried before this one was not used (for diagnostics)."""

    name: str
    path: Path | None
    embedded: bool
    warnings: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()

    def missing(self, text: str) -> str:
        """The distinct characters of `text` this font has no glyph for ("" for the CID fallback,
        which cannot be asked)."""
        if not self.embedded:
            return ""
        face = pdfmetrics.getFont(self.name).face
        seen = dict.fromkeys(ch for ch in text if not ch.isspace() and ord(ch) not in face.charToGlyph)
        return "".join(seen)


def system_font_search() -> FontSearch:
    """The usual places on Windows and on Linux desktops (UOS, Kylin, Debian-likes)."""
    files: list[tuple[Path, int]] = []
    folders: list[Path] = []
    windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT")
    local = os.environ.get("LOCALAPPDATA")
    win_dirs = [Path(windir) / "Fonts"] if windir else []
    if local:
        win_dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    if sys.platform == "win32" and not windir:
        win_dirs.append(Path("C:/Windows/Fonts"))
    for folder in win_dirs:
        files += [(folder / "simsun.ttc", 0), (folder / "simsun.ttf", 0)]
    bundled = resource("fonts")
    if bundled.is_dir():
        files += [(path, 0) for path in sorted(bundled.iterdir()) if path.suffix.lower() in FONT_SUFFIXES]
    for path in (
        "/usr/share/fonts/truetype/arphic/uming.ttc",
        "/usr/share/fonts/arphic-uming/uming.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
    ):
        files.append((Path(path), 0))
    folders += win_dirs
    home = Path.home()
    folders += [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".local/share/fonts",
                home / ".fonts"]
    return FontSearch(tuple(files), tuple(folders))


def resolve_font(chosen: str | os.PathLike | None = None, search: FontSearch | None = None) -> PdfFont:
    """The font to draw the PDF with; see the module's docstring for the order. Never raises: a
    chosen font that cannot be used gives a warning and the search goes on. Cached per arguments."""
    chosen_path = Path(chosen).expanduser() if chosen not in (None, "") else None
    return _resolve(chosen_path, search if search is not None else system_font_search())


@functools.lru_cache(maxsize=16)
def _resolve(chosen: Path | None, search: FontSearch) -> PdfFont:
    warnings: list[str] = []
    skipped: list[str] = []
    if chosen is not None:
        font, reason = _try(chosen, 0)
        if font is not None:
            return font
        warnings.append(f"所选字体“{chosen}”无法使用：{reason}，已改用其他中文字体。")
    tried: set[Path] = set()
    for path, index in search.files:
        if not path.is_file():
            continue
        tried.add(path.resolve())
        font, reason = _try(path, index)
        if font is not None:
            return PdfFont(font.name, font.path, True, tuple(warnings), tuple(skipped))
        skipped.append(f"{path}：{reason}")
    for path in _search_candidates(search.folders, tried):
        font, reason = _try(path, 0)
        if font is not None:
            return PdfFont(font.name, font.path, True, tuple(warnings), tuple(skipped))
        skipped.append(f"{path}：{reason}")
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    warnings.append(
        "未找到可嵌入的 TrueType 中文字体，PDF 改用阅读器内置的宋体（STSong-Light，未嵌入）："
        "在别的电脑上打开或打印时字形可能不同，甚至无法显示。请在设置中选择一个中文 TrueType 字体文件"
        "（如 Windows 的 simsun.ttc）后重新导出。"
    )
    return PdfFont(FALLBACK_FONT, None, False, tuple(warnings), tuple(skipped))


def _try(path: Path, index: int) -> tuple[PdfFont | None, str]:
    """Register one font file (a TTC's subfont `index`); (font, "") or (None, the reason in Chinese)."""
    if not path.is_file():
        return None, "文件不存在"
    try:
        name = _register(str(path.resolve()), index)
    except TTFError as exc:
        if "postscript outlines" in str(exc).lower():
            return None, "这是 PostScript（CFF）轮廓的 OpenType 字体，无法嵌入 PDF"
        return None, "不是可用的 TrueType 字体文件"
    except (OSError, ValueError, IndexError, KeyError, TypeError, AssertionError, MemoryError):
        # A damaged font file makes reportlab's parser fail in many ways; it is never the clerk's bug.
        return None, "字体文件已损坏或无法读取"
    face = pdfmetrics.getFont(name).face
    if any(ord(ch) not in face.charToGlyph for ch in PROBE):
        return None, "字体不含常用汉字"
    return PdfFont(name, path, True), ""


@functools.cache
def _register(path: str, index: int) -> str:
    """Register a TrueType font with reportlab once; the name is unique per file and subfont."""
    name = "CJK-" + hashlib.sha1(f"{path}#{index}".encode()).hexdigest()[:10]
    pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))
    return name


def _search_candidates(folders: tuple[Path, ...], tried: set[Path]) -> list[Path]:
    """Big TrueType files under the folders, names that look Chinese first, within fixed bounds."""
    found: list[tuple[bool, int, Path]] = []
    entries = 0
    for root in folders:
        if not root.is_dir():
            continue
        stack = [(root, 0)]
        while stack and entries < SEARCH_ENTRIES:
            folder, depth = stack.pop()
            try:
                children = list(os.scandir(folder))
            except OSError:
                continue
            for entry in children:
                entries += 1
                if entries >= SEARCH_ENTRIES:
                    break
                try:
                    if entry.is_dir(follow_symlinks=False):
                        if depth < SEARCH_DEPTH:
                            stack.append((Path(entry.path), depth + 1))
                    elif entry.name.lower().endswith(FONT_SUFFIXES):
                        size = entry.stat().st_size
                        path = Path(entry.path)
                        if size >= SEARCH_MIN_BYTES and path.resolve() not in tried:
                            hinted = any(hint in entry.name.lower() for hint in CJK_NAME_HINTS)
                            found.append((not hinted, -size, path))
                except OSError:
                    continue
    found.sort()
    unique = list(dict.fromkeys(path for _, _, path in found))
    return unique[:SEARCH_PARSES]
