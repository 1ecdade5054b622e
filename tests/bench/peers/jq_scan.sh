#!/bin/sh
# jq_scan.sh DIR - peer: the coverage count of scan.py done with jq, one jq
# process over every notebook (file list from find, sorted).
set -eu
find "$1" -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' | sort | tr '\n' '\0' |
	xargs -0 jq -r 'input_filename as $f
	  | [.cells[] | select(.cell_type == "code")
	     | select((.source | if type == "array" then join("") else . end)
	              | contains("YOUR CODE HERE"))
	     | ((.metadata.tags // []) | any(startswith("assignment:")))]
	  | "\($f): \(map(select(.)) | length)/\(length) exercises tagged"'
