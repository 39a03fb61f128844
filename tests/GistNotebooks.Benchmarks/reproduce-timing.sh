#!/usr/bin/env bash
# Times a warm `gistnb reproduce` (NuGet caches filled, kit built) and checks the budget of 1.5 s per notebook.
# Usage: tests/GistNotebooks.Benchmarks/reproduce-timing.sh [RUNS=5] [--ready-to-run] [--jobs=N] [--cold]
#   --ready-to-run  time a ReadyToRun publish of gistnb instead of the build output that `dotnet run` uses
#                   (the first call publishes it, which takes minutes).
#   --jobs=N        pass --jobs N to gistnb reproduce (default: gistnb's own, two workers on two or more cores).
#   --cold          without warm workers (GISTNB_KEEP_WORKERS=0): every run starts its own worker processes.
# Builds the CLI (Debug, as `dotnet run` does), runs reproduce once untimed, then RUNS times, and prints the medians:
# wall and processor seconds of the whole process, each notebook's seconds (from claims.json, kernel start included)
# and, when the notebooks ran one at a time, the time outside them (process start, report, files); with two
# workers their times overlap. Processor time is gistnb's own plus, read from /proc (Linux), that of the warm workers
# it handed its notebooks to, which are not its children. The machine's load is printed beside them:
# on a shared machine, wall time depends on it, processor time much less. Exits 1 when the median is over budget.
# Not part of CI.
set -euo pipefail
RUNS=5
READY_TO_RUN=0
JOBS=()
for arg in "$@"; do
  case $arg in
    --ready-to-run) READY_TO_RUN=1 ;;
    --jobs=[1-8]) JOBS=(--jobs "${arg#--jobs=}") ;;
    --cold) export GISTNB_KEEP_WORKERS=0 ;;
    ''|*[!0-9]*) echo "usage: $0 [RUNS=5] [--ready-to-run] [--jobs=N] [--cold]" >&2; exit 2 ;;
    *) RUNS=$arg ;;
  esac
done
BUDGET=1.5
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$ROOT"

dotnet build src/GistNotebooks.Cli -v q -nologo >/dev/null
GISTNB="$ROOT/src/GistNotebooks.Cli/bin/Debug/net10.0/gistnb.dll"
if [ "$READY_TO_RUN" = 1 ]; then
  PUBLISHED="$ROOT/artifacts/gistnb-ready-to-run"
  RID=$(dotnet --info | awk '/^ *RID:/ {print $2; exit}')
  dotnet publish src/GistNotebooks.Cli -c Debug -r "$RID" --self-contained false -p:PublishReadyToRun=true -o "$PUBLISHED" -v q -nologo >/dev/null
  GISTNB="$PUBLISHED/gistnb.dll"
fi

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# Processor ticks used so far by each warm worker: "PID TICKS" lines.
worker_ticks() {
  for pid in $(pgrep -f -- '__notebook-worker --listen' || true); do
    awk -v pid="$pid" '{print pid, $14 + $15}' "/proc/$pid/stat" 2>/dev/null || true
  done
}
TICK=$(getconf CLK_TCK)

# One run: "WALL CPU" on stdout; the notebooks' seconds appended to $WORK/notebooks as "FILE SECONDS" lines.
run_once() {
  local out="$WORK/out" status=0
  rm -rf "$out"
  worker_ticks > "$WORK/before"
  TIMEFORMAT='%R %U %S'
  { time dotnet "$GISTNB" reproduce --out "$out" "${JOBS[@]}" >"$WORK/stdout" 2>"$WORK/stderr" || status=$?; } 2>"$WORK/time"
  if [ "$status" -ne 0 ]; then
    echo "gistnb reproduce failed (exit $status); timing a failing run means nothing:" >&2
    tail -5 "$WORK/stderr" >&2
    exit 1
  fi
  paste -d' ' <(grep -o '"file": "[^"]*"' "$out/claims.json" | cut -d'"' -f4) \
              <(grep -o '"seconds": [0-9.]*' "$out/claims.json" | awk '{print $2}') >> "$WORK/notebooks"
  worker_ticks > "$WORK/after"
  # A worker started during the run counts from zero; one that ended during it is not counted (none does in a good run).
  workers=$(awk -v tick="$TICK" 'NR == FNR {before[$1] = $2; next} {used += $2 - ($1 in before ? before[$1] : 0)} END {printf "%.2f", used / tick}' "$WORK/before" "$WORK/after")
  awk -v workers="$workers" '{printf "%s %.2f\n", $1, $2 + $3 + workers}' "$WORK/time"
}

echo "warm-up run (untimed) ..." >&2
run_once >/dev/null
: > "$WORK/notebooks"
: > "$WORK/runs"
for ((i = 1; i <= RUNS; i++)); do
  result=$(run_once)
  load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")
  echo "run $i: $result (wall s, processor s), load average $load" >&2
  echo "$result $load" >> "$WORK/runs"
done

count=$(awk '{print $1}' "$WORK/notebooks" | sort -u | wc -l)
wall=$(awk '{print $1}' "$WORK/runs" | median)
cpu=$(awk '{print $2}' "$WORK/runs" | median)
load=$(awk '{print $3}' "$WORK/runs" | median)
printf '\n%-34s %9s\n' notebook median_s
inside=0
for file in $(awk '{print $1}' "$WORK/notebooks" | awk '!seen[$0]++'); do
  s=$(awk -v f="$file" '$1 == f {print $2}' "$WORK/notebooks" | median)
  inside=$(echo "$inside + $s" | bc -l)
  printf '%-34s %9.2f\n' "$file" "$s"
done
outside=$(echo "$wall - $inside" | bc -l)
if [ "$(echo "$outside >= 0" | bc -l)" = 1 ]; then
  printf '%-34s %9.2f\n' "(outside the notebooks)" "$outside"
else
  printf '%-34s %9.2f\n' "(sum; notebooks ran at once)" "$inside"
fi
per=$(echo "$wall / $count" | bc -l)
printf '\n%s: %d runs of %d notebooks; median total %.2f s wall, %.2f s processor (load average %s)\n' \
  "$(basename "$GISTNB")" "$RUNS" "$count" "$wall" "$cpu" "$load"
if [ "$(echo "$per <= $BUDGET" | bc -l)" = 1 ]; then
  printf 'budget: %.2f s per notebook <= %.1f s: within budget\n' "$per" "$BUDGET"
else
  printf 'budget: %.2f s per notebook > %.1f s: OVER BUDGET\n' "$per" "$BUDGET"
  exit 1
fi
