#!/bin/sh
# run.sh: run the libFuzzer targets built by mk/fuzz.mk.
#
#   run.sh fuzz BUILD T...      fuzz each target FUZZ_SECONDS (30) from a copy of
#                               tests/fuzz/corpus/T and tests/fuzz/regress/T in
#                               BUILD/corpus/T (new inputs go there, never into the
#                               repository), with tests/fuzz/dict/T.dict when there
#                               is one; a crash, leak or hang leaves its input in
#                               BUILD/artifacts/T/ and fails the run
#   run.sh regress BUILD T...   run each target once on every file of
#                               tests/fuzz/corpus/T and tests/fuzz/regress/T; no fuzzing
#
# Every target runs even after one fails; the last line says which failed.
# Per-target logs: BUILD/logs/T.log.
set -u

mode=$1
build=$2
shift 2
seconds=${FUZZ_SECONDS:-30}
here=tests/fuzz
failed=""

mkdir -p "$build/logs"
for t in "$@"; do
	bin=$build/$t
	log=$build/logs/$t.log
	if [ ! -x "$bin" ]; then
		echo "fuzz: $bin is not built" >&2
		failed="$failed $t"
		continue
	fi
	# Seeds are few; the folders hold no spaces or newlines in names.
	files=$(find "$here/corpus/$t" "$here/regress/$t" -type f 2>/dev/null | sort)
	case $mode in
	regress)
		if [ -z "$files" ]; then
			echo "fuzz-regress: $t: no inputs" >&2
			failed="$failed $t"
			continue
		fi
		n=$(printf '%s\n' "$files" | wc -l)
		# shellcheck disable=SC2086 # one argument per file
		if "$bin" -rss_limit_mb=4096 $files >"$log" 2>&1; then
			echo "fuzz-regress: $t: $n inputs ok"
		else
			echo "fuzz-regress: $t: FAILED (see $log)"
			tail -n 30 "$log"
			failed="$failed $t"
		fi
		;;
	fuzz)
		work=$build/corpus/$t
		art=$build/artifacts/$t/
		rm -rf "$work" "$art"
		mkdir -p "$work" "$art"
		# shellcheck disable=SC2086
		[ -n "$files" ] && cp $files "$work/"
		dict=""
		[ -f "$here/dict/$t.dict" ] && dict="-dict=$here/dict/$t.dict"
		echo "fuzz: $t for ${seconds}s"
		# shellcheck disable=SC2086
		"$bin" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 -max_len=65536 \
			-print_final_stats=1 -artifact_prefix="$art" $dict "$work" >"$log" 2>&1
		rc=$?
		# libFuzzer's last status line and its final stats.
		grep -aE '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1
		grep -aE '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$log" |
			tr '\n' ' '
		echo
		if [ "$rc" -ne 0 ]; then
			echo "fuzz: $t: FAILED (exit $rc); reproducer(s) in $art:"
			ls "$art"
			grep -aE 'ERROR|SUMMARY|fuzz_[a-z]+:' "$log" | head -n 10
			failed="$failed $t"
		fi
		;;
	*)
		echo "usage: run.sh fuzz|regress BUILD TARGET..." >&2
		exit 2
		;;
	esac
done
if [ -n "$failed" ]; then
	echo "fuzz: failed:$failed"
	exit 1
fi
echo "fuzz: all passed"
