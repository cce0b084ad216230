@echo off
rem raming serve: the page for what-ifs, in the browser. Double-click this
rem file, or drag an extract (CSV or .xlsx) onto it. Close the window to stop.
cd /d "%~dp0"
echo Raming: de pagina opent in uw browser. Sluit dit venster om te stoppen.
if "%~1"=="" (
  raming.exe serve --open
) else (
  raming.exe serve --open --population "%~1"
)
if errorlevel 1 pause
