"""The command line: a second front end beside the window (SPEC §7). It parses, calls core and
prints; core returns values and raises errors.

    main.py    the parser, import, list, check, and the exit codes
    export.py  export-xlsx and export-pdf
"""
