"""The draft 自评报告 (.docx) of a form: the form retold in prose, every number exact.

    facts.py     the form as the report's facts — the one place the report reads a form
    template.py  the wording, one TOML file per region family (resources/report_templates/)
    outline.py   the outline 一 to 六, as paragraphs and tables
    docx.py      the .docx in the official-document look (GB/T 9704), read back before it lands
"""
