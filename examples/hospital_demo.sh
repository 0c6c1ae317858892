#!/usr/bin/env bash
# Breast-cancer risk scoring end to end through the `lathe` command:
#   hospital:    keygen, encrypt its test patients (public key only)
#   cloud:       logistic risk score and the encrypted decision score >= 0 (evaluation keys only)
#   hospital:    decrypt, compare with the diagnoses and with the same model in the clear
# The model is trained in the clear on the other patients by
# examples/circuits/breast_cancer (--write-model), as a model owner would, with
# the column scales it chose for the score's fixed point (--write-scales).
#   usage: examples/hospital_demo.sh [BUILD_DIR] [PRESET]
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
preset="${2:-bgv-128-n32768-t268042241}"
lathe="$build/src/cli/lathe"
data="data/breast_cancer_wisconsin.csv"
work="$(mktemp -d)"
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

now() { date +%s.%N; }
step() { awk -v a="$2" -v b="$(now)" -v w="$1" 'BEGIN { printf "  %-58s %6.2f s\n", w, b - a }'; }
size() { awk -v s="$(stat -c %s "$2")" -v w="$1" 'BEGIN { printf "  %-58s %6.1f MB\n", w, s / 1e6 }'; }

echo "Breast cancer risk on encrypted patients, through the lathe command ($data)"
echo "model owner (plaintext): logistic regression trained on 4/5 of the patients"
"$build/examples/circuits/breast_cancer" --write-model "$work/model.csv" --write-test "$work/test.csv" \
	--write-scales "$work/scales" >/dev/null
cols="$(head -1 "$work/model.csv" | tr ',' '\n' | grep -v '^intercept$' | paste -sd, -)"
patients=$(($(wc -l <"$work/test.csv") - 1))
echo "  $patients test patients, $(echo "$cols" | tr ',' '\n' | wc -l) features"

echo "hospital:"
printf 'demo passphrase\n' >"$work/pass"
t=$(now); "$lathe" keygen --preset "$preset" --out "$work/keys" --passphrase-file "$work/pass" 2>/dev/null
step "lathe keygen ($preset)" "$t"
t=$(now); "$lathe" encrypt --keys "$work/keys" --in "$work/test.csv" --columns "$cols" \
	--scales "$(cat "$work/scales")" --out "$work/patients.lct" >/dev/null
step "lathe encrypt (public key only)" "$t"
echo "cloud:"
t=$(now); "$lathe" eval --eval-keys "$work/keys/eval.keys" --circuit logistic --model "$work/model.csv" \
	--in "$work/patients.lct" --out "$work/risk.lct"
step "lathe eval --circuit logistic (evaluation keys only)" "$t"
echo "hospital:"
t=$(now); "$lathe" decrypt --keys "$work/keys" --passphrase-file "$work/pass" --in "$work/risk.lct" --out "$work/risk.csv"
step "lathe decrypt" "$t"
size "eval.keys (to the cloud, once)" "$work/keys/eval.keys"
size "patients.lct (to the cloud)" "$work/patients.lct"
size "risk.lct (from the cloud)" "$work/risk.lct"

# the same model in the clear on the same patients: in double precision, and in the fixed point
# the cloud computed (X_j = round(x_j s_j), W_j = round(w_j S / s_j), B = round(b S); S from
# `lathe info`), and the diagnoses
S="$("$lathe" info "$work/risk.lct" | awk '$1 == "item:" && $2 == "score" { sub("denominator=", "", $4); print $4 }')"
echo "  output scale S = $S (lathe info risk.lct)"
awk -F, -v S="$S" -v scales="$(cat "$work/scales")" '
	function rnd(v) { return v < 0 ? -int(-v + 0.5) : int(v + 0.5) }
	BEGIN { m = split(scales, a, ","); for (i = 1; i <= m; i++) { split(a[i], kv, "="); sc[kv[1]] = kv[2] } }
	FNR == 1 && FILENAME == ARGV[1] { for (i = 1; i <= NF; i++) mh[i] = $i; next }
	FILENAME == ARGV[1] { for (i = 1; i <= NF; i++) w[mh[i]] = $i; next }
	FNR == 1 && FILENAME == ARGV[2] { for (i = 1; i <= NF; i++) th[i] = $i; next }
	FILENAME == ARGV[2] {
		s = w["intercept"]; f = rnd(w["intercept"] * S)
		for (i = 1; i <= NF; i++)
			if (th[i] in w) { s += w[th[i]] * $i; f += rnd(w[th[i]] * S / sc[th[i]]) * rnd($i * sc[th[i]]) }
		n++; clear[n] = (s >= 0); fixed[n] = (f >= 0); diag[n] = $NF
		next
	}
	FNR == 1 { next }
	{ k++; enc = $3 + 0
	  agree += (enc == fixed[k]); dbl += (enc == clear[k]); right += (enc == diag[k]); cright += (clear[k] == diag[k]) }
	END {
		printf "  encrypted decisions equal to the fixed-point model'"'"'s in the clear: %d of %d\n", agree, k
		printf "  ... and to the double-precision model'"'"'s: %d of %d\n", dbl, k
		printf "  accuracy against the diagnoses: encrypted %.2f%%, double-precision model %.2f%%\n", \
			100 * right / k, 100 * cright / k
		if (k != n || agree != k) { print "  the encrypted decisions differ from the fixed-point model" > "/dev/stderr"; exit 1 }
	}' "$work/model.csv" "$work/test.csv" "$work/risk.csv"
echo "first rows of risk.csv (row, score, decision):"
head -4 "$work/risk.csv" | sed 's/^/  /'
