#!/usr/bin/env bash
# Installs the system packages ChoSo needs when they are missing (Debian/Ubuntu).
#   scripts/install-deps.sh run    what building and running needs
#   scripts/install-deps.sh test   and what the tests need (headless Chromium, Playwright)
set -euo pipefail
mode=${1:-run}

# espeak-ng speaks the payment announcements for phones without a Vietnamese voice and for speakers;
# lame makes its recording an MP3 small enough for weak 4G (every phone browser plays MP3);
# libvips' vipsthumbnail resizes OCOP product photos and strips their metadata.
packages=(pkg-config libqrencode-dev zlib1g-dev libsqlite3-dev espeak-ng lame libvips-tools)
if [[ $mode == test ]]; then
  # Chromium drives the pages; zbarimg reads back QR images; rsvg-convert rasterises SVG;
  # LibreOffice Calc (no GUI) opens the Excel exports as a user's spreadsheet program would;
  # pdfinfo (poppler) reads the page sizes and count of the printed boards.
  packages+=(chromium zbar-tools librsvg2-bin libreoffice-calc-nogui poppler-utils)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

if ((${#missing[@]})); then
  echo "== installing system packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
fi

# Playwright drives the system Chromium (no browser download); axe-playwright-python carries
# axe-core, which checks every page's accessibility.
if [[ $mode == test ]] && ! python3 -c "import playwright, axe_playwright_python" 2> /dev/null; then
  echo "== installing Playwright and axe-core for Python"
  if [[ $(id -u) -eq 0 ]]; then
    python3 -m pip install -q --root-user-action=ignore playwright axe-playwright-python==0.1.8
  else
    python3 -m pip install -q --user playwright axe-playwright-python==0.1.8
  fi
fi
