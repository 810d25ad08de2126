# bash completion for racecheck. tests/packaging/completions_test.sh checks that every option
# of `racecheck --help` (and every choice it lists) is offered here, so the two cannot drift.
_racecheck() {
  local cur prev
  cur="${COMP_WORDS[COMP_CWORD]}"
  prev="${COMP_WORDS[COMP_CWORD-1]}"
  local options="--help --version --engine --unroll --dfs --no-por --no-symmetry --threads --all --max-states --max-seconds --max-memory
                 --set --format --output --color --html --show-cover-traces --quiet --stable"
  case "$prev" in
    --engine) COMPREPLY=($(compgen -W "explicit z3 both auto" -- "$cur")); return ;;
    --format) COMPREPLY=($(compgen -W "text json junit sarif github html" -- "$cur")); return ;;
    --color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
    --unroll|--threads|--max-states|--max-seconds|--max-memory|--set) return ;;
    --html|--output) COMPREPLY=($(compgen -f -- "$cur")); return ;;
  esac
  local word in_parse=false
  for word in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    [ "$word" = parse ] && in_parse=true
  done
  if [[ "$cur" == -* ]]; then
    if $in_parse; then
      COMPREPLY=($(compgen -W "--help --set" -- "$cur"))
    else
      COMPREPLY=($(compgen -W "$options" -- "$cur"))
    fi
    return
  fi
  # Models: .cr files and folders of them; the subcommand first.
  COMPREPLY=($(compgen -f -X '!*.cr' -- "$cur") $(compgen -d -- "$cur"))
  if ! $in_parse && [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY+=($(compgen -W "parse" -- "$cur"))
  fi
}
complete -o filenames -F _racecheck racecheck
