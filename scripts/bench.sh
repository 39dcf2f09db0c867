#!/usr/bin/env bash
# Benchmarks `vigil scan` on the shared synthetic corpora and writes the
# results into docs/BENCHMARKS.md (between the BENCH markers).
#
#   scripts/bench.sh [CORPUS_DIR] [RUNS]
#
# CORPUS_DIR defaults to ../shared/corpus; each set is scanned RUNS times
# (default 3) with every built-in control, and the median wall time and the
# largest peak RSS are reported. Needs /usr/bin/time (Debian package "time").
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus}
runs=${2:-3}
command -v /usr/bin/time >/dev/null || { echo "bench.sh needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bin=$tmp/vigil
go build -trimpath -o "$bin" ./cmd/vigil
framework=allcontrols
controls=$("$bin" list controls --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')

rows=""
for set in synthetic-1000 synthetic-5000 synthetic-20000; do
  dir="$corpus/$set"
  [ -d "$dir" ] || { echo "skip $set: $dir not found" >&2; continue; }
  walls=(); rss=0
  for _ in $(seq "$runs"); do
    /usr/bin/time -v -o "$tmp/time.txt" "$bin" scan framework "$framework" "$dir" --format json --output /dev/null >/dev/null 2>&1 || true
    out=$(cat "$tmp/time.txt")
    wall=$(echo "$out" | awk -F': ' '/Elapsed \(wall clock\)/ {print $2}')
    kb=$(echo "$out" | awk -F': ' '/Maximum resident set size/ {print $2}')
    secs=$(echo "$wall" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    walls+=("$secs")
    [ "$kb" -gt "$rss" ] && rss=$kb
  done
  median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  objects=$(python3 -c "import json; print(json.load(open('$corpus/$set.count.json'))['objects'])" 2>/dev/null || echo "?")
  rows+="| $set | $objects | $controls | ${median} s | $((rss / 1024)) MiB |"$'\n'
  echo "$set: median ${median}s over $runs runs, peak RSS $((rss / 1024)) MiB" >&2
done

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
mem=$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)
table="Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($cpu), $mem RAM, Go $(go env GOVERSION), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown).
\`scripts/bench.sh\`: \`vigil scan framework $framework SET --format json --output /dev/null\`, median of $runs runs, peak RSS from \`/usr/bin/time -v\`.

| set | objects | controls | wall time | peak RSS |
|---|---|---|---|---|
$rows"

doc=docs/BENCHMARKS.md
python3 - "$doc" "$table" <<'PY'
import re, sys
path, table = sys.argv[1], sys.argv[2]
text = open(path).read()
new = "<!-- BENCH:BEGIN -->\n" + table.rstrip() + "\n<!-- BENCH:END -->"
text = re.sub(r"<!-- BENCH:BEGIN -->.*?<!-- BENCH:END -->", new, text, flags=re.S)
open(path, "w").write(text)
PY
echo "updated $doc" >&2
