# Shell helpers the scripts share: `source "$(dirname "$0")/lib.sh"`.

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# wait_until WHAT SECONDS COMMAND...: runs COMMAND every tenth of a second until it succeeds, or says WHAT did not
# happen in time and fails.
wait_until() {
  local what=$1 tenths=$(($2 * 10))
  shift 2
  for _ in $(seq 1 "$tenths"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "$what did not happen in $((tenths / 10)) s" >&2
  return 1
}
