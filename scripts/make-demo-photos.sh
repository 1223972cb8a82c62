#!/usr/bin/env bash
# Makes the demo's placeholder product photos (a coloured square with the product's name and
# "ảnh minh họa"), so the demo shows how photos and feeds work without anyone's real photo.
# Needs libvips-tools. The JPEGs are kept in Sources/ChoSoApp/Resources/Demo/ocop/.
set -euo pipefail
cd "$(dirname "$0")/.."
out=Sources/ChoSoApp/Resources/Demo/ocop
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
make_photo() { # slug, caption, background "R G B"
  vips black "$work/black.v" 900 900 --bands 3
  vips linear "$work/black.v" "$work/bg-float.v" "1 1 1" "$3"
  vips cast "$work/bg-float.v" "$work/bg.v" uchar
  vips linear "$work/black.v" "$work/white-float.v" "1 1 1" "255 255 255"
  vips cast "$work/white-float.v" "$work/white.v" uchar
  vips text "$work/text.v" "$2" --dpi 260 --width 760 --align centre
  local width height
  width=$(vipsheader -f width "$work/text.v"); height=$(vipsheader -f height "$work/text.v")
  vips embed "$work/text.v" "$work/mask.v" $(((900 - width) / 2)) $(((900 - height) / 2)) 900 900
  vips ifthenelse "$work/mask.v" "$work/white.v" "$work/bg.v" "$work/photo.v" --blend
  vips copy "$work/photo.v" "$out/$1.jpg[Q=80,strip]"
}
make_photo gao-thom-st25 "Gạo thơm ST25
(ảnh minh họa)" "46 110 64"
make_photo banh-pia-sau-rieng-trung "Bánh pía sầu riêng trứng
(ảnh minh họa)" "150 96 30"
make_photo tom-kho-tran-de "Tôm khô Trần Đề
(ảnh minh họa)" "176 62 44"
make_photo mam-ca-loc-khmer "Mắm cá lóc Khmer
(ảnh minh họa)" "92 64 120"
make_photo kho-ca-keo-dai-an "Khô cá kèo Đại Ân
(ảnh minh họa)" "60 90 140"
ls -l "$out"
