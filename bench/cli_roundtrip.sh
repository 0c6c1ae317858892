#!/usr/bin/env bash
# The whole round trip of the `linear` circuit through the lathe command on
# the breast-cancer data (569 patients x 30 features): keygen (with Argon2id
# INTERACTIVE sealing), encrypt, eval, decrypt, on one thread. Each phase is
# timed REPS times (default 3); the rows give the medians, in seconds, and
# the sizes of what crosses the wire, in bytes. Presets: the smallest
# 128-bit one the linear score fits (t = 65537, N = 8192) and the default,
# which every built-in circuit fits.
#   usage: bench/cli_roundtrip.sh [BUILD_DIR] [REPS]
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
reps="${2:-3}"
lathe="$build/src/cli/lathe"
data="data/breast_cancer_wisconsin.csv"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export OMP_NUM_THREADS=1 OMP_PLACES=cores OMP_PROC_BIND=close

"$build/examples/circuits/breast_cancer" --write-model "$work/model.csv" --write-test "$work/test.csv" \
	--write-scales "$work/scales" >/dev/null
cols="$(head -1 "$work/model.csv" | tr ',' '\n' | grep -v '^intercept$' | paste -sd, -)"
printf 'benchmark passphrase\n' >"$work/pass"

now() { date +%s.%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "case,preset,patients,keygen_s,encrypt_s,eval_s,decrypt_s,total_s,eval_keys_bytes,data_bytes,result_bytes"
for preset in bgv-128-n8192-t65537 bgv-128-n32768-t268042241; do
	: >"$work/times"
	for ((i = 0; i < reps; i++)); do
		rm -rf "$work/keys" "$work/p.lct" "$work/r.lct" "$work/r.csv"
		t0=$(now)
		"$lathe" keygen --preset "$preset" --out "$work/keys" --passphrase-file "$work/pass" 2>/dev/null
		t1=$(now)
		"$lathe" encrypt --keys "$work/keys" --in "$data" --columns "$cols" --scales "$(cat "$work/scales")" \
			--out "$work/p.lct" >/dev/null 2>&1
		t2=$(now)
		"$lathe" eval --eval-keys "$work/keys/eval.keys" --circuit linear --model "$work/model.csv" \
			--in "$work/p.lct" --out "$work/r.lct" 2>/dev/null
		t3=$(now)
		"$lathe" decrypt --keys "$work/keys" --passphrase-file "$work/pass" --in "$work/r.lct" --out "$work/r.csv"
		t4=$(now)
		echo "$t0 $t1 $t2 $t3 $t4" >>"$work/times"
	done
	rows=$(($(wc -l <"$work/r.csv") - 1))
	[ "$rows" -eq 569 ] || { echo "cli_roundtrip: $rows scores, expected 569" >&2; exit 1; }
	m() { awk "{ print $1 }" "$work/times" | median; }
	printf 'cli/linear/roundtrip,%s,%d,%.3f,%.3f,%.3f,%.3f,%.3f,%d,%d,%d\n' "$preset" "$rows" \
		"$(m '$2 - $1')" "$(m '$3 - $2')" "$(m '$4 - $3')" "$(m '$5 - $4')" "$(m '$5 - $1')" \
		"$(stat -c %s "$work/keys/eval.keys")" "$(stat -c %s "$work/p.lct")" "$(stat -c %s "$work/r.lct")"
done
