#!/usr/bin/env bash
# Refreshes the console's .ts files from the ui/ sources (run after changing user-visible text,
# then translate what lupdate marks unfinished, e.g. with /usr/lib/qt6/bin/linguist).
# English is the source language: its file carries only the plural forms.
set -euo pipefail
cd "$(dirname "$0")/.."
lupdate=/usr/lib/qt6/bin/lupdate
"$lupdate" -locations none -no-obsolete ui -ts translations/gatehouse_de.ts
"$lupdate" -locations none -no-obsolete -pluralonly ui -ts translations/gatehouse_en.ts
