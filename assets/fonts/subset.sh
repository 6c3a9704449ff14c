#!/usr/bin/env bash
# Regenerates assets/fonts/DejaVuSans.ttf, a subset of Debian's DejaVu Sans
# (package fonts-dejavu-core) holding Latin, Greek, punctuation, super- and
# subscripts, arrows, maths operators and a few symbols: everything the canvas
# draws. The full font is 760 KB; the subset is about 107 KB, which takes
# about 275 KB off the brotli-compressed wasm. Needs python3-fonttools.
set -euo pipefail
cd "$(dirname "$0")"
/usr/bin/python3 -m fontTools.subset /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf \
	--unicodes="U+0020-007E,U+00A0-00FF,U+0131,U+0152-0153,U+02C6,U+02DC,U+0391-03A9,U+03B1-03C9,U+2000-206F,U+2070-209F,U+2190-21FF,U+2200-22FF,U+2713-2717,U+25A0-25FF" \
	--layout-features='*' --output-file=DejaVuSans.ttf
