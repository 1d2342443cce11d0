; Inno Setup 6.3+ script (x64compatible needs 6.3): the Windows installer of 绩效自评表填报助手.
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" packaging\windows\installer.iss
; (build_windows.bat runs it after PyInstaller). Input: packaging\dist\perf-self-eval\ from
; perf_self_eval.spec. Output: packaging\dist\perf-self-eval-<version>-setup.exe.
; The version is read from perf-self-eval.exe's version resource, which the spec fills from
; core.__version__, so there is one place to change it. This file is UTF-8 with a BOM (Chinese text).

#define BundleDir AddBackslash(SourcePath) + "..\dist\perf-self-eval"
#define AppExe "perf-self-eval.exe"
#define AppName "绩效自评表填报助手"
#ifndef AppVersion
  #define AppVersion GetStringFileInfo(BundleDir + "\" + AppExe, "ProductVersion")
#endif
#if AppVersion == ""
  #error "No version: build the bundle first (packaging\build_windows.bat)"
#endif

; Inno Setup ships no Simplified Chinese messages file in every version: use the compiler's if it
; has one, else ChineseSimplified.isl placed next to this script (Inno Setup's translations page),
; else the English wizard. The program itself is Chinese either way.
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
  #define ChineseMessages "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
  #define ChineseMessages AddBackslash(SourcePath) + "ChineseSimplified.isl"
#endif

[Setup]
; Never change AppId: upgrades find the installed copy by it.
AppId={{6F1C2B0E-5B7A-4E35-9C8E-2E4D7A1F3C55}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
DefaultDirName={autopf}\perf-self-eval
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Clerks rarely have administrator rights: install for the current user by default
; (%LOCALAPPDATA%\Programs\perf-self-eval); an administrator may choose all users.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 needs Windows 10 1809 or newer.
MinVersion=10.0.17763
OutputDir=..\dist
OutputBaseFilename=perf-self-eval-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayName={#AppName}
UninstallDisplayIcon={app}\{#AppExe}
; The installer's own icon; the program's icon is in perf-self-eval.exe (the spec's icon=).
SetupIconFile=..\..\resources\icons\app.ico
; A running copy holds its files open: ask to close it before an upgrade.
CloseApplications=yes
RestartApplications=no
SetupLogging=yes

[Languages]
#ifdef ChineseMessages
Name: "chs"; MessagesFile: "{#ChineseMessages}"
#else
Name: "en"; MessagesFile: "compiler:Default.isl"
#endif

[CustomMessages]
DesktopIcon=在桌面上创建快捷方式(&D)
LaunchApp=立即运行{#AppName}

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole program folder, so no file of the old version lingers. The
; clerks' data is not here (it is in %LOCALAPPDATA%\perf-self-eval) and is never touched.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchApp}"; Flags: nowait postinstall skipifsilent

; [UninstallDelete] is deliberately absent: uninstalling removes the program only. The database
; (%LOCALAPPDATA%\perf-self-eval\forms.sqlite3 and its backups) stays, so a reinstall finds it.
