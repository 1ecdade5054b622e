#!/bin/sh
# Fail when a sanitizer log reports an error in our code.  Criterion counts a
# test that leaks as passed, so the log is the judge.  A leak counts when one
# frame of its allocation stack is in our sources (core/, tui/, tests/);
# Criterion's runner keeps a few blocks of its own until exit, allocated
# entirely inside libcriterion, and those are not ours to fix.
log=$1
awk '
/ERROR: AddressSanitizer|runtime error:/ { bad++; print; next }
/^(Direct|Indirect) leak of/ { inleak = 1; ours = 0; head = $0; next }
inleak && /^    #[0-9]+ / { if ($0 ~ /(core|tui|tests)\/[^ ]*\.[ch]:[0-9]+/) ours = 1; next }
inleak { if (ours) { bad++; print "leak in our code: " head } inleak = 0 }
END { if (inleak && ours) { bad++; print "leak in our code: " head }
      if (bad) { print "asan: " bad " sanitizer report(s) in our code"; exit 1 }
      print "asan: no sanitizer reports in our code" }
' "$log"
