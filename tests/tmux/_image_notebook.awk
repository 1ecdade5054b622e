# A Jupyter-format notebook of `n` cells (default 1200): a markdown heading
# every fourth cell, the others code cells with a "# YOUR CODE HERE" body and
# a 4 KB image output (1,000 cells make about 4 MB).  With -v ids=1 cells
# have ids ("m4", "c5") and nbformat_minor is 5.
# Used by tests/tmux/*.sh and tests/fuzz/memcheck.sh.
BEGIN {
	if (!n) n = 1200;
	out = ""; for (i = 0; i < 64; i++) out = out "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAC";
	printf "{\n \"cells\": [\n";
	for (i = 0; i < n; i++) {
		id = ids ? sprintf("   \"id\": \"%s%d\",\n", i % 4 == 0 ? "m" : "c", i) : "";
		if (i % 4 == 0)
			printf "  {\n   \"cell_type\": \"markdown\",\n%s   \"metadata\": {},\n   \"source\": [\n    \"## Exercise %d\"\n   ]\n  }", id, i / 4 + 1;
		else
			printf "  {\n   \"cell_type\": \"code\",\n   \"execution_count\": %d,\n%s   \"metadata\": {},\n   \"outputs\": [\n    {\n     \"data\": {\n      \"image/png\": \"%s\"\n     },\n     \"metadata\": {},\n     \"output_type\": \"display_data\"\n    }\n   ],\n   \"source\": [\n    \"def f_%d(x):\\n\",\n    \"    # YOUR CODE HERE\"\n   ]\n  }", i, id, out, i;
		printf "%s\n", (i < n - 1 ? "," : "");
	}
	printf " ],\n \"metadata\": {},\n \"nbformat\": 4,\n \"nbformat_minor\": %d\n}\n", ids ? 5 : 4;
}
