# make tsan: the threaded paths (lint/coverage -j, parallel reads of big
# notebooks, the TUI loading a course) of a ThreadSanitizer build, driven
# through the real binary by tests/tsan/run.sh (Criterion's runner cannot
# start under TSan).  clang and libclang-rt-dev come with `make deps`.
.PHONY: tsan
tsan: deps
	$(MAKE) --no-print-directory BUILD=build-tsan CC=clang OPTFLAGS="-O1 -g" \
	  EXTRA_CFLAGS="-fsanitize=thread" EXTRA_LDFLAGS="-fsanitize=thread" \
	  build-tsan/celltag
	bash tests/tsan/run.sh build-tsan/celltag
