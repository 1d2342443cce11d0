#!/usr/bin/env bash
# Build the Linux release: the one-folder bundle, a .tar.gz and a .deb, under packaging/dist/.
#
#   packaging/build_linux.sh [--wheelhouse DIR] [--no-venv] [--no-deb]
#
# Run it on the OLDEST Linux you support (UOS 20 / Kylin V10, or another glibc 2.28 system such as
# Debian 10 or AlmaLinux 8): the bundle carries the build machine's Python and system libraries and
# needs at least that machine's glibc. A build made on Debian 12 (glibc 2.36) does not start on UOS 20.
#
#   --wheelhouse DIR  install the build's Python packages from DIR, offline (made by
#                     `python packaging/wheelhouse.py --with-build --target linux`)
#   --no-venv         use $PYTHON as it is (its packages must already be installed)
#   --no-deb          make the bundle and the .tar.gz only
# Environment: PYTHON (default python3.11, else python3; must be CPython 3.11 x86-64),
#   MAINTAINER (the .deb's Maintainer field), PERF_SELF_EVAL_FONT (see perf_self_eval.spec).
# Needs: objdump (binutils), dpkg-deb (for the .deb), a TrueType CJK font package
# (fonts-arphic-uming or fonts-wqy-microhei) whose font is copied into the bundle, and the X11
# libraries Qt's xcb plugin links (checked below; the bundle carries them).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
dist="$here/dist"
work="$here/build"
wheelhouse=""
use_venv=1
make_deb=1
while [ $# -gt 0 ]; do
    case "$1" in
        --wheelhouse) wheelhouse=$(cd "$2" && pwd); shift 2 ;;
        --no-venv) use_venv=0; shift ;;
        --no-deb) make_deb=0; shift ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
done

python=${PYTHON:-$(command -v python3.11 || command -v python3)}
"$python" - <<'EOF'
import platform, sys
if sys.version_info[:2] != (3, 11) or platform.machine() != "x86_64":
    sys.exit(f"need CPython 3.11 on x86-64, have {platform.python_version()} on {platform.machine()}")
EOF
version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$root/core/__init__.py")
glibc=$(getconf GNU_LIBC_VERSION | awk '{print $2}')
echo "== perf-self-eval $version, building on glibc $glibc ($(. /etc/os-release && echo "$PRETTY_NAME"))"
case "$glibc" in
    2.28) ;;
    *) echo "   note: the bundle will need glibc >= $glibc; UOS 20 / Kylin V10 have 2.28 (see packaging/README.md)" ;;
esac

if [ "$use_venv" = 1 ]; then
    venv="$work/venv"
    [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
    pip_args=(-q --disable-pip-version-check)
    if [ -n "$wheelhouse" ]; then pip_args+=(--no-index --find-links "$wheelhouse"); fi
    "$venv/bin/python" -m pip install "${pip_args[@]}" -r "$here/requirements-lock.txt" -r "$here/requirements-build.txt"
    python="$venv/bin/python"
fi

echo "== PyInstaller"
rm -rf "$dist/perf-self-eval"
(cd "$root" && "$python" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$dist" --workpath "$work/pyinstaller" "$here/perf_self_eval.spec")
bundle="$dist/perf-self-eval"
install -m 0755 "$here/linux/start.sh" "$bundle/start.sh"

# The X11 plugin's own libraries (xcb-cursor, xcb-icccm, ...) come from this machine: if one is
# missing here, the bundle cannot open a window on the clerk's PC either.
missing=$(LD_LIBRARY_PATH="$bundle/_internal" ldd "$bundle/_internal/PySide6/Qt/plugins/platforms/libqxcb.so" \
    | grep "not found" || true)
if [ -n "$missing" ]; then
    echo "ERROR: libraries of Qt's X11 plugin are missing on this build machine:" >&2
    echo "$missing" >&2
    echo "Debian/UOS/Kylin: apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1" \
         "libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0" >&2
    exit 1
fi

echo "== smoke test (offscreen, throwaway database)"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
QT_QPA_PLATFORM=offscreen HOME="$scratch" XDG_DATA_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config" \
    "$bundle/perf-self-eval" --selftest --db "$scratch/forms.sqlite3"
ls "$bundle/_internal/resources/fonts/"*.tt[cf] >/dev/null

# The newest glibc symbol version anything in the bundle asks for = the oldest glibc it runs on.
needs_glibc=$(find "$bundle" -type f \( -name '*.so*' -o -name 'perf-self-eval*' \) -print0 \
    | { xargs -0 objdump -T 2>/dev/null || true; } | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
echo "   the bundle needs glibc >= $needs_glibc"

echo "== tar.gz"
tarball="$dist/perf-self-eval-$version-linux-x86_64.tar.gz"
tar -C "$dist" --owner=0 --group=0 -czf "$tarball" perf-self-eval

if [ "$make_deb" = 1 ]; then
    echo "== deb"
    pkg="$work/deb-root"
    rm -rf "$pkg"
    mkdir -p "$pkg/DEBIAN" "$pkg/opt" "$pkg/usr/bin" "$pkg/usr/share/applications" "$pkg/usr/share/doc/perf-self-eval"
    cp -a "$bundle" "$pkg/opt/perf-self-eval"
    ln -s /opt/perf-self-eval/start.sh "$pkg/usr/bin/perf-self-eval"
    install -m 0644 "$here/deb/perf-self-eval.desktop" "$pkg/usr/share/applications/perf-self-eval.desktop"
    # The .desktop file's Icon=perf-self-eval, in the hicolor theme every desktop looks in.
    for size in 16 24 32 48 64 128 256; do
        install -D -m 0644 "$root/resources/icons/app-$size.png" \
            "$pkg/usr/share/icons/hicolor/${size}x${size}/apps/perf-self-eval.png"
    done
    install -m 0644 "$here/README.md" "$pkg/usr/share/doc/perf-self-eval/README.md"
    installed_kib=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
    sed -e "s/@VERSION@/$version/" -e "s/@INSTALLED_SIZE@/$installed_kib/" -e "s/@GLIBC@/$needs_glibc/" \
        -e "s|@MAINTAINER@|${MAINTAINER:-perf-self-eval maintainers <perf-self-eval@localhost>}|" \
        "$here/deb/control.in" > "$pkg/DEBIAN/control"
    deb="$dist/perf-self-eval_${version}_amd64.deb"
    dpkg-deb --root-owner-group -Zxz --build "$pkg" "$deb" >/dev/null
    dpkg-deb --info "$deb" | sed -n 's/^ \(Package\|Version\|Depends\|Installed-Size\):/   \1:/p'
fi

echo "== sizes"
du -sh "$bundle" | sed 's/^/   bundle folder  /'
du -h "$tarball" | sed 's/^/   tar.gz         /'
if [ "$make_deb" = 1 ]; then du -h "$deb" | sed 's/^/   .deb           /'; fi
