#!/usr/bin/env bash
# The --html page in a real browser: headless Chromium (Debian's chromium, which .ci/run
# installs) loads the page of a run with a violation, a deadlock, a safe model and a model
# error; it must render every swimlane row with no console message at all (no script error),
# hold no reference to anything outside itself, and give a screenshot at a fixed size.
# Usage: html_page_test.sh RACECHECK_BINARY SOURCE_DIR OUT_DIR. Exit 77 (skipped) without chromium.
set -uo pipefail
binary=$1 source_dir=$2 out_dir=$3
command -v chromium >/dev/null || { echo "chromium is not installed: skipped"; exit 77; }
mkdir -p "$out_dir"
page="$out_dir/run.html"
status=0
fail() { echo "html page: $*" >&2; status=1; }

cd "$source_dir"
"$binary" --quiet --stable --html "$page" models/withdraw.cr models/transfer_rows_deadlock.cr models/withdraw_mutex.cr \
  tests/golden/errors/fail_teach_increment.cr >/dev/null 2>&1
[ -s "$page" ] || { echo "html page: racecheck wrote no page" >&2; exit 1; }

# Self-contained: no script, style, image or font from elsewhere.
if grep -Eiq '<(script|link|img|iframe)[^>]* (src|href)=|url\(|@import|https?://' "$page"; then
  fail "the page refers to something outside itself: $(grep -Eio '<(script|link|img|iframe)[^>]* (src|href)=[^>]*|url\([^)]*\)|@import[^;]*|https?://[^"<> ]*' "$page" | head -3)"
fi
rows=$(grep -c '<tr data-step=' "$page")
[ "$rows" -gt 0 ] || fail "no swimlane rows in the page"
for expected in 'id="model-0"' 'withdraw_mutex' 'fail_teach_increment.cr' 'Withdraw[0]' 'Transfer[1]' 'deadlock detected'; do
  grep -qF "$expected" "$page" || fail "the page does not show $expected"
done

browser=(chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-extensions --hide-scrollbars
         --enable-logging=stderr --v=0)
dom=$(timeout 120 "${browser[@]}" --dump-dom "file://$page" 2>"$out_dir/chromium-dom.log")
# The page's script counts the rows it made interactive once it has run to its end.
grep -q "data-rendered=\"$rows\"" <<<"$dom" || fail "the page's script did not run to its end (expected data-rendered=\"$rows\")"
if grep -E 'CONSOLE|Uncaught' "$out_dir/chromium-dom.log"; then fail "the page logged to the console"; fi

rm -f "$out_dir/run.png"
timeout 120 "${browser[@]}" --window-size=1280,900 --screenshot="$out_dir/run.png" "file://$page" \
  2>"$out_dir/chromium-shot.log" >/dev/null
if grep -E 'CONSOLE|Uncaught' "$out_dir/chromium-shot.log"; then fail "the page logged to the console"; fi
# A PNG's width and height are bytes 16-23 of its IHDR chunk.
size=$(od -An -tu1 -j16 -N8 "$out_dir/run.png" 2>/dev/null | awk '{print $1*16777216+$2*65536+$3*256+$4 "x" $5*16777216+$6*65536+$7*256+$8}')
[ "$size" = "1280x900" ] || fail "the screenshot is '$size', not 1280x900"
[ "$(stat -c %s "$out_dir/run.png" 2>/dev/null || echo 0)" -gt 20000 ] || fail "the screenshot is nearly empty"
[ $status -eq 0 ] && echo "html page: $rows rows rendered, screenshot $out_dir/run.png"
exit $status
