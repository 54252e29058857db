#!/usr/bin/env bash
# Install the Debian packages policybrief needs, or say exactly how to.
#
#   scripts/system-deps.sh build   libraries and fonts for rendering briefs
#   scripts/system-deps.sh test    the above plus the checkers the test suite runs
#
# Why each package:
#   libpango-1.0-0 libpangoft2-1.0-0  WeasyPrint's text layout
#   libharfbuzz-subset0               font subsetting; without it WeasyPrint falls back to
#                                     fontTools and writes PDFs about 2.5x slower
#   fonts-noto-core fonts-noto-cjk    the fonts the templates and charts name, one per script:
#                                     Latin (Noto Serif, Noto Sans), CJK (Noto Sans CJK SC),
#                                     Devanagari and Arabic (Noto Sans Devanagari, Noto Sans
#                                     Arabic, in fonts-noto-core); pinned by Debian release
#   poppler-utils qpdf                pdffonts/pdftoppm and qpdf --check (tests)
#   chromium chromium-driver          headless browser (and its driver) for the accessibility tests
#   default-jre-headless              runs the Nu Html Checker (vnu.jar from npm's vnu-jar)
#   nodejs npm                        installs vnu-jar
set -euo pipefail
mode=${1:-build}
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-noto-cjk)
if [ "$mode" = test ]; then
  packages+=(poppler-utils qpdf chromium chromium-driver)
  command -v java >/dev/null 2>&1 || packages+=(default-jre-headless)
  command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
