"""The save dialog's proposed name: "{项目名称}_{项目编码}_{年度}.xlsx", valid on Windows, the whole
path under 200 characters; the command line keeps `{code}_{year}`."""

from __future__ import annotations

from pathlib import PureWindowsPath

from hypothesis import given
from hypothesis import strategies as st

from core.export import file_stem
from core.file_names import MAX_PATH, suggested_file_name

CODE = "440303241553147100001"


def test_name_code_and_year_in_that_order():
    assert suggested_file_name("罗湖区新开办企业“免费刻章”项目", CODE, "2024", ".xlsx", "/home/clerk") == \
        f"罗湖区新开办企业“免费刻章”项目_{CODE}_2024.xlsx"


def test_characters_windows_refuses_are_replaced():
    assert suggested_file_name('A/B\\C:D*E?F"G<H>I|J\tK', CODE, "2024", ".pdf", "/x") == \
        f"A_B_C_D_E_F_G_H_I_J_K_{CODE}_2024.pdf"


def test_empty_parts_are_left_out_and_nothing_at_all_gives_a_plain_name():
    assert suggested_file_name("", CODE, "2024", ".xlsx", "/x") == f"{CODE}_2024.xlsx"
    assert suggested_file_name("新项目", "", "", ".xlsx", "/x") == "新项目.xlsx"
    assert suggested_file_name("  ", "", "", ".xlsx", "/x") == "自评表.xlsx"


def test_a_name_windows_reserves_gets_a_prefix():
    assert suggested_file_name("CON", "", "", ".xlsx", "/x") == "_CON.xlsx"
    assert suggested_file_name("nul", "", "", ".pdf", "/x") == "_nul.pdf"


def test_a_long_name_is_cut_to_keep_the_path_under_200_characters_code_and_year_intact():
    folder = "C:\\Users\\张会计\\Documents\\2024年度绩效自评\\各项目"
    name = suggested_file_name("深圳市罗湖区" * 40, CODE, "2024", ".xlsx", folder)
    assert len(str(PureWindowsPath(folder) / name)) == MAX_PATH - 1
    assert name.startswith("深圳市罗湖区") and name.endswith(f"_{CODE}_2024.xlsx")


@given(name=st.text(max_size=300), year=st.sampled_from(["2024", "2025", ""]),
       depth=st.integers(min_value=1, max_value=150))
def test_any_name_gives_a_valid_windows_file_name_that_fits(name, year, depth):
    folder = "D:\\" + "目" * depth
    result = suggested_file_name(name, CODE, year, ".xlsx", folder)
    assert not set(result) & set('\\/:*?"<>|') and all(ord(c) >= 32 for c in result)
    assert result.endswith(f"{CODE}{'_' + year if year else ''}.xlsx")
    assert not result[:-5].endswith((" ", "."))
    assert len(folder) + 1 + len(result) < MAX_PATH


def test_the_command_line_keeps_code_and_year():
    assert file_stem(CODE, "2024", "自评表") == f"{CODE}_2024"
