#!/bin/sh
# Starts 绩效自评表填报助手 from its folder: /opt/perf-self-eval (the .deb, via /usr/bin/perf-self-eval)
# or wherever the .tar.gz was unpacked. Arguments pass through: no arguments open the window,
# `check FILE.xlsx --json` etc. run the headless commands.
set -e
here=$(dirname "$(readlink -f "$0")")
app="$here/perf-self-eval"
[ -x "$app" ] || app=/opt/perf-self-eval/perf-self-eval

# Chinese input: the bundled Qt has input-method plugins for ibus only (none for fcitx). fcitx5 also
# speaks the ibus protocol, so when fcitx5 is running Qt is pointed at ibus. fcitx 4 has no such
# bridge (see packaging/README.md, "Known limits").
plugins="$(dirname "$app")/_internal/PySide6/Qt/plugins/platforminputcontexts"
case "${QT_IM_MODULE:-}" in
    fcitx*|"")
        if ! ls "$plugins" 2>/dev/null | grep -q fcitx && pgrep -x fcitx5 >/dev/null 2>&1; then
            QT_IM_MODULE=ibus
            export QT_IM_MODULE
        fi
        ;;
esac

exec "$app" "$@"
