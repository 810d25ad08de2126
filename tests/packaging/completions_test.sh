#!/usr/bin/env bash
# The shell completions are written by hand; this keeps them true to the CLI: every option that
# `racecheck --help` (or `racecheck parse --help`) lists is completed in bash and zsh, and an
# option with a fixed set of choices offers exactly those choices in both.
# Usage: completions_test.sh RACECHECK_BINARY COMPLETIONS_DIR
set -euo pipefail
binary=$1
bash_file=$2/racecheck.bash
zsh_file=$2/_racecheck
status=0
fail() { echo "completions: $*" >&2; status=1; }

help=$("$binary" --help; "$binary" parse --help)
options=$(grep -oE '^ +(-[a-z],)?--[a-z-]+' <<<"$help" | sed -E 's/^ +(-[a-z],)?//' | sort -u)
[ -n "$options" ] || fail "found no options in racecheck --help"
for option in $options; do
  grep -qE -- "(^|[ \"'{,)*])$option([ \"'\\[)}]|$)" "$bash_file" || fail "$option is not completed in $bash_file"
  grep -qE -- "(^|[ \"'{,)*])$option([ \"'\\[)}]|$)" "$zsh_file" || fail "$option is not completed in $zsh_file"
done

# `--engine TEXT:{explicit,z3,both}=explicit`: the choices, in help's order.
while read -r option choices; do
  expected=$(tr ',' ' ' <<<"$choices")
  bash_line=$(grep -E -- "^ *$option\) " "$bash_file" || true)
  [[ "$bash_line" == *"-W \"$expected\""* ]] || fail "bash offers other choices than '$expected' for $option: $bash_line"
  zsh_line=$(grep -E -- "'\*?$option\[" "$zsh_file" || true)
  [[ "$zsh_line" == *"($expected)'"* ]] || fail "zsh offers other choices than '$expected' for $option: $zsh_line"
done < <(grep -oE -- '--[a-z-]+ [A-Z]+:\{[a-z0-9,]+\}' <<<"$help" | sed -E 's/ [A-Z]+:\{/ /; s/\}$//')

# And nothing the CLI does not have.
for option in $(grep -oE -- "--[a-z][a-z-]+" "$bash_file" "$zsh_file" | cut -d: -f2 | sort -u); do
  grep -qx -- "$option" <<<"$options" || fail "the completions offer $option, which racecheck --help does not list"
done
exit $status
