#!/usr/bin/env bash
# Times quire's start-up from outside: the release binary is started in a fresh tmux
# session on a generated library, and the time until the paper list is on screen (the
# pane shows the "┌ Papers" frame and the library's last-row status) is measured by
# polling `tmux capture-pane`. Prints each run and the median.
#
#   scripts/startup-time.sh [PAPERS] [RUNS]      (default 100000 papers, 9 runs)
#
# The library is generated once into /var/tmp/quire-startup/PAPERS and reused. The first
# run opens it cold for quire (no kept search index); the figure reported is the median.
set -euo pipefail
cd "$(dirname "$0")/.."
papers=${1:-100000}
runs=${2:-9}
data=/var/tmp/quire-startup/$papers
socket=quire-startup-$$

command -v tmux >/dev/null || { echo "startup-time.sh: tmux is needed" >&2; exit 1; }
swift build -c release --product quire >/dev/null
swift build -c release --product quire-bench >/dev/null
bin=$(swift build -c release --show-bin-path)
if [ ! -s "$data/quire/library.jsonl" ]; then
  echo "generating $papers papers into $data…"
  "$bin/quire-bench" generate --papers "$papers" "$data" >/dev/null
fi
cp "$data/quire/state.json" "$data/state.pristine.json" 2>/dev/null || true
size=$(du -m "$data/quire/library.jsonl" | cut -f1)
echo "library: $papers papers, $size MB ($data)"

# Bash's own clock: no process is started to read it, so polling stays fine-grained.
now_ms() { local t=${EPOCHREALTIME/./}; echo $(( t / 1000 )); }
times=()
trap 'tmux -L "$socket" kill-server 2>/dev/null || true' EXIT
for run in $(seq 1 "$runs"); do
  cp "$data/state.pristine.json" "$data/quire/state.json"
  # A shell waits in the session, so that tmux's own start is not counted.
  tmux -L "$socket" new-session -d -x 160 -y 50 "bash --norc --noprofile"
  sleep 0.3
  start=$(now_ms)
  tmux -L "$socket" send-keys "exec env XDG_DATA_HOME=$data XDG_CACHE_HOME=$data/cache XDG_CONFIG_HOME=$data/config XDG_STATE_HOME=$data/state $bin/quire" Enter
  while true; do
    screen=$(tmux -L "$socket" capture-pane -p 2>/dev/null || true)
    # The list is drawn: the header names the library, in the same frame as the list.
    if [[ $screen == *"imported"*"┌ Papers"* ]]; then break; fi
    if [ $(( $(now_ms) - start )) -gt 60000 ]; then echo "no list on screen after 60 s" >&2; exit 1; fi
  done
  taken=$(( $(now_ms) - start ))
  times+=("$taken")
  echo "run $run: ${taken} ms"
  tmux -L "$socket" send-keys q
  sleep 0.3
  tmux -L "$socket" kill-server 2>/dev/null || true
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
echo "median start to list on screen: ${median} ms over $runs runs ($papers papers)"
