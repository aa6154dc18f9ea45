#!/bin/sh
# Run each cmocka test program; print its output, then one closing line
# "unit: N passed, N failed" counting test cases. Exits 1 on any failure.
passed=0
failed=0
bad=""
for t in "$@"; do
	out=$("$t" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	if [ "$rc" -ne 0 ]; then
		bad="$bad $(basename "$t")"
		[ -z "$f" ] && failed=$((failed + 1))  # crashed before reporting
	fi
done
[ -n "$bad" ] && echo "failing programs:$bad"
echo "unit: $passed passed, $failed failed"
[ -z "$bad" ]
