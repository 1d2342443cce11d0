@echo off
rem Build the Windows release (run on Windows 10/11 x64, in a normal cmd window):
rem   packaging\build_windows.bat [WHEELHOUSE_FOLDER]
rem  1. makes a venv under packaging\build\venv with Python 3.11 x64 (python.org installer; the "py"
rem     launcher or "python" on PATH), and installs requirements-lock.txt + requirements-build.txt,
rem     from WHEELHOUSE_FOLDER offline if given (python packaging\wheelhouse.py --with-build --target win);
rem  2. runs PyInstaller with packaging\perf_self_eval.spec, the same spec as Linux:
rem     packaging\dist\perf-self-eval\perf-self-eval.exe      the window (no console)
rem     packaging\dist\perf-self-eval\perf-self-eval-cli.exe  the same program for the command line
rem  3. smoke-tests the bundle (--selftest, offscreen, throwaway database);
rem  4. if Inno Setup 6 is installed, builds packaging\dist\perf-self-eval-VERSION-setup.exe.
rem No font is bundled on Windows: the PDF embeds the system's SimSun (simsun.ttc).
setlocal
set "HERE=%~dp0"
set "WORK=%HERE%build"
set "DIST=%HERE%dist"
set "VENV=%WORK%\venv"

where py >nul 2>nul && (set "BASEPY=py -3.11") || (set "BASEPY=python")
if not exist "%VENV%\Scripts\python.exe" (
    %BASEPY% -m venv "%VENV%" || goto :fail
)
set "PY=%VENV%\Scripts\python.exe"
"%PY%" -c "import sys, platform; sys.exit(0 if sys.version_info[:2] == (3, 11) and platform.machine() == 'AMD64' else 'need CPython 3.11 x64')" || goto :fail

set "PIPARGS=-q --disable-pip-version-check"
if not "%~1"=="" set "PIPARGS=%PIPARGS% --no-index --find-links "%~f1""
"%PY%" -m pip install %PIPARGS% -r "%HERE%requirements-lock.txt" -r "%HERE%requirements-build.txt" || goto :fail

echo == PyInstaller
if exist "%DIST%\perf-self-eval" rmdir /s /q "%DIST%\perf-self-eval"
pushd "%HERE%.."
"%PY%" -m PyInstaller --noconfirm --clean --log-level WARN --distpath "%DIST%" --workpath "%WORK%\pyinstaller" "%HERE%perf_self_eval.spec" || (popd & goto :fail)
popd

echo == smoke test
set "SCRATCH=%TEMP%\perf-self-eval-selftest-%RANDOM%"
mkdir "%SCRATCH%"
set "QT_QPA_PLATFORM=offscreen"
"%DIST%\perf-self-eval\perf-self-eval-cli.exe" --selftest --db "%SCRATCH%\forms.sqlite3" || goto :fail
set "QT_QPA_PLATFORM="
rmdir /s /q "%SCRATCH%"

set "ISCC=%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe"
if not exist "%ISCC%" set "ISCC=%ProgramFiles%\Inno Setup 6\ISCC.exe"
if not exist "%ISCC%" set "ISCC=%LOCALAPPDATA%\Programs\Inno Setup 6\ISCC.exe"
if exist "%ISCC%" (
    echo == Inno Setup
    "%ISCC%" /Q "%HERE%windows\installer.iss" || goto :fail
) else (
    echo Inno Setup 6 not found: skipped the installer. The folder packaging\dist\perf-self-eval can be zipped as is.
)
echo == done: %DIST%
exit /b 0

:fail
echo BUILD FAILED 1>&2
exit /b 1
