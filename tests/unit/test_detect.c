/* test_detect.c - exercise cell detection (core/detect.c). */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "detect.h"
#include "rules_testutil.h"
#include "testutil.h"

/* One case: an optional markdown cell, then the code cell under test. */
struct dcase {
	const char *name;
	const char *md;         /* NULL: no markdown above */
	const char *code;
	const char *meta;       /* code cell metadata members, NULL: none */
	enum detect_reason reason;
	const char *number;
};

#define NBG_SOL "\"nbgrader\": {\"grade\": false, \"solution\": true, " \
                "\"locked\": false, \"grade_id\": \"a\", \"schema_version\": 3}"
#define NBG_GRADE "\"nbgrader\": {\"grade\": true, \"solution\": false, " \
                  "\"locked\": true, \"points\": 1, \"grade_id\": \"t\", " \
                  "\"schema_version\": 3}"
#define NBG_NONE "\"nbgrader\": {\"grade\": false, \"solution\": false, " \
                 "\"locked\": true, \"grade_id\": \"r\", \"schema_version\": 3}"

/* The table lives at file scope and tests get an index: Criterion may run
 * a parameterized test in a fresh process where pointers copied from the
 * parent would dangle. */
static const struct dcase cases[] = {
	/* placeholders (positive) */
	{ "your code here upper", NULL, "# YOUR CODE HERE", NULL, DETECT_PLACEHOLDER, "" },
	{ "your code here mixed", NULL, "x = 1\n# Your code here\n", NULL, DETECT_PLACEHOLDER, "" },
	{ "your code here no space", NULL, "#your code here", NULL, DETECT_PLACEHOLDER, "" },
	{ "your code goes here", NULL, "# Your code goes here. Define sign", NULL, DETECT_PLACEHOLDER, "" },
	{ "your if here", NULL, "value = 4\n\n# your if/elif/else here\n", NULL, DETECT_PLACEHOLDER, "" },
	{ "raise NIE", NULL, "def f():\n    raise NotImplementedError()", NULL, DETECT_PLACEHOLDER, "" },
	{ "raise NIE bare", NULL, "raise NotImplementedError", NULL, DETECT_PLACEHOLDER, "" },
	{ "begin solution", NULL, "### BEGIN SOLUTION\nx = 1\n### END SOLUTION", NULL, DETECT_PLACEHOLDER, "" },
	{ "todo comment", NULL, "# TODO: write the loop", NULL, DETECT_PLACEHOLDER, "" },
	{ "todo indented", NULL, "for x in y:\n    # todo\n    print(x)", NULL, DETECT_PLACEHOLDER, "" },
	{ "your answer here", NULL, "answer = 'YOUR ANSWER HERE'", NULL, DETECT_PLACEHOLDER, "" },
	{ "crlf source", NULL, "x = 1\r\n# YOUR CODE HERE\r\n", NULL, DETECT_PLACEHOLDER, "" },
	/* placeholders (negative) */
	{ "todo in a name", NULL, "todos = []\ntodo_list = load()", NULL, DETECT_NONE, "" },
	{ "todo in a string", NULL, "print('TODO list')", NULL, DETECT_NONE, "" },
	{ "raise other error", NULL, "raise ValueError('no')", NULL, DETECT_NONE, "" },
	{ "NotImplemented return", NULL, "def __eq__(s, o):\n    return NotImplemented", NULL, DETECT_NONE, "" },
	{ "your across lines", NULL, "# your\n# here", NULL, DETECT_NONE, "" },
	{ "yours here", NULL, "# yours truly here", NULL, DETECT_NONE, "" },
	{ "plain code", NULL, "a = 12\nif a > 10:\n    print('ok')", NULL, DETECT_NONE, "" },
	{ "empty code", NULL, "", NULL, DETECT_NONE, "" },
	/* stub bodies */
	{ "def pass", NULL, "def add(a, b):\n    pass", NULL, DETECT_STUB_BODY, "" },
	{ "def ellipsis", NULL, "def add(a, b):\n    ...", NULL, DETECT_STUB_BODY, "" },
	{ "def docstring pass", NULL, "def f(x):\n    \"\"\"Return x.\n\n    More.\n    \"\"\"\n    pass\n\nq1.check()", NULL, DETECT_STUB_BODY, "" },
	{ "def one-line docstring", NULL, "def f(x):\n    'doc'\n    pass", NULL, DETECT_STUB_BODY, "" },
	{ "def inline pass", NULL, "def f(): pass", NULL, DETECT_STUB_BODY, "" },
	{ "for pass", NULL, "for word in words:\n    pass", NULL, DETECT_STUB_BODY, "" },
	{ "while ellipsis", NULL, "while True:\n    ...  # fill in\n", NULL, DETECT_STUB_BODY, "" },
	{ "multiline signature", NULL, "def f(a,\n      b: int = 3) -> int:\n    # comment\n\n    pass", NULL, DETECT_STUB_BODY, "" },
	{ "async def", NULL, "async def fetch(url):\n    pass", NULL, DETECT_STUB_BODY, "" },
	{ "nested for in def", NULL, "def f(xs):\n    total = 0\n    for x in xs:\n        pass\n    return total", NULL, DETECT_STUB_BODY, "" },
	{ "pass with comment", NULL, "def g(n):\n    pass # Your turn", NULL, DETECT_STUB_BODY, "" },
	/* stub bodies (negative) */
	{ "if pass", NULL, "if earth == 'square':\n    pass", NULL, DETECT_NONE, "" },
	{ "if pass then print", NULL, "if None == 0:\n    pass\n    print('x')", NULL, DETECT_NONE, "" },
	{ "class pass", NULL, "class MyError(Exception):\n    pass", NULL, DETECT_NONE, "" },
	{ "except pass", NULL, "try:\n    f()\nexcept ValueError:\n    pass", NULL, DETECT_NONE, "" },
	{ "def pass then code", NULL, "def f():\n    pass\n    return 1", NULL, DETECT_NONE, "" },
	{ "def real body", NULL, "def sign(x):\n    return 1 if x > 0 else -1", NULL, DETECT_NONE, "" },
	{ "def docstring only", NULL, "def f():\n    \"\"\"Just a docstring.\"\"\"", NULL, DETECT_NONE, "" },
	{ "dict colon", NULL, "d = {'for': 1}\nfor k in d: print(k)", NULL, DETECT_NONE, "" },
	{ "format string for", NULL, "print(f'{x} for x')", NULL, DETECT_NONE, "" },
	/* nbgrader */
	{ "nbgrader solution", NULL, "x = 1", NBG_SOL, DETECT_NBGRADER_SOLUTION, "" },
	{ "nbgrader grade", NULL, "assert f(1) == 1", NBG_GRADE, DETECT_NBGRADER_GRADE, "" },
	{ "nbgrader read-only", NULL, "import math", NBG_NONE, DETECT_NONE, "" },
	/* headings and paragraphs */
	{ "exercise heading", "## Exercise 3.1: if/elif/else", "print('x')", NULL, DETECT_HEADING, "3-1" },
	{ "exercise heading h3", "### Exercise 2", "x = 1", NULL, DETECT_HEADING, "2" },
	{ "exercise heading letter", "## Problem 5a", "y = 2", NULL, DETECT_HEADING, "5a" },
	{ "exercise heading capital", "## Exercise B: lists", "y = 2", NULL, DETECT_HEADING, "b" },
	{ "exercises plural", "## Exercises", "y = 2", NULL, DETECT_HEADING, "" },
	{ "practice heading", "# Practice: loops", "y = 2", NULL, DETECT_HEADING, "" },
	{ "challenge heading", "## Challenge 4 (optional)", "y = 2", NULL, DETECT_HEADING, "4" },
	{ "task heading", "## Task #7", "y = 2", NULL, DETECT_HEADING, "7" },
	{ "html heading", "<h2>Exercise 6</h2>", "y = 2", NULL, DETECT_HEADING, "6" },
	{ "heading then text", "## Exercise 1\n\n1. Try to predict the output.", "print(1)", NULL, DETECT_HEADING, "1" },
	{ "paragraph label bold", "**Exercise 2.3** Write a function.", "y = 2", NULL, DETECT_PARAGRAPH, "2-3" },
	{ "paragraph task colon", "Task: count the words below.", "y = 2", NULL, DETECT_PARAGRAPH, "" },
	{ "paragraph list number", "1. Exercise: sort the list", "y = 2", NULL, DETECT_PARAGRAPH, "" },
	/* headings and paragraphs (negative) */
	{ "example heading", "## Example: printing", "print('hi')", NULL, DETECT_NONE, "" },
	{ "example exercise heading", "## Example exercise", "print('hi')", NULL, DETECT_NONE, "" },
	{ "solution heading", "## Solution to exercise 3", "print('hi')", NULL, DETECT_NONE, "3" },
	{ "demo heading", "### Demo", "print('hi')", NULL, DETECT_NONE, "" },
	{ "prose mentions exercise", "In this exercise, you'll use booleans.", "from x import *", NULL, DETECT_NONE, "" },
	{ "practice makes perfect", "Practice makes perfect.", "y = 2", NULL, DETECT_NONE, "" },
	{ "plain heading", "## `for` loops", "for x in y:\n    print(x)", NULL, DETECT_NONE, "" },
	{ "numbered heading only", "# 5a.", "print(1)", NULL, DETECT_NONE, "5a" },
	{ "numbered heading gives number", "# 3. Spicy", "def f():\n    pass", NULL, DETECT_STUB_BODY, "3" },
	{ "heading in code fence", "```\n## Exercise 9\n```", "y = 2", NULL, DETECT_NONE, "" },
	{ "exerciser word", "## Exerciser tool", "y = 2", NULL, DETECT_NONE, "" },
	/* instructions */
	{ "modify cell below", "That isn't great grammar!\n\nModify the definition in the cell below to fix it.", "def f(n):\n    return n", NULL, DETECT_INSTRUCTION, "" },
	{ "following code block", "In the following code block, replace `None` with a condition.", "if None:\n    x = 1", NULL, DETECT_INSTRUCTION, "" },
	{ "complete code below", "Complete the code below.", "total = 0", NULL, DETECT_INSTRUCTION, "" },
	{ "we run cell below", "In the code cell below, we run the function with 10.", "f(10)", NULL, DETECT_NONE, "" },
	{ "run cell below", "To get credit, run the code cell below.", "q2.solution()", NULL, DETECT_NONE, "" },
	{ "example cell below", "The function in the code cell below is an example.", "def g():\n    print(1)", NULL, DETECT_NONE, "" },
	{ "verb without cell", "Write a function that adds two numbers.", "x = 1", NULL, DETECT_NONE, "" },
	{ "cell below without verb", "The cell below prints the list.", "print(xs)", NULL, DETECT_NONE, "" },
	/* the "below"/"following" pre-test folds case and finds them mid-line */
	{ "instruction in capitals", "COMPLETE THE CODE BELOW.", "total = 0", NULL, DETECT_INSTRUCTION, "" },
	{ "following in capitals", "Note: in the FOLLOWING cell, fix the bug.", "x = 1", NULL, DETECT_INSTRUCTION, "" },
	{ "instruction second sentence", "This is a list. Now change the cell below; it should print 3.", "print(1)", NULL, DETECT_INSTRUCTION, "" },
	{ "below without a sentence end", "fill in the code block below", "y = None", NULL, DETECT_INSTRUCTION, "" },
	{ "bellow is not below", "Fix the code bellow.", "y = None", NULL, DETECT_NONE, "" },
};
#define NCASES (sizeof cases / sizeof cases[0])

ParameterizedTestParameters(detect, cases)
{
	static size_t idx[NCASES];
	for (size_t i = 0; i < NCASES; i++)
		idx[i] = i;
	return cr_make_param_array(size_t, idx, NCASES);
}

ParameterizedTest(size_t *i, detect, cases)
{
	const struct dcase *c = &cases[*i];
	struct tcell cells[2];
	size_t n = 0, code_at;
	if (c->md)
		cells[n++] = (struct tcell){ "markdown", c->md, NULL };
	code_at = n;
	cells[n++] = (struct tcell){ "code", c->code, c->meta };
	struct notebook *nb = tu_nb("lesson_01.ipynb", cells, n);
	cr_assert_not_null(nb, "%s: notebook did not load", c->name);

	struct detector *det;
	cr_assert_eq(detector_new(NULL, &det, NULL), CT_OK);
	struct detect_result res[2];
	detect_notebook(det, nb, res);
	cr_expect_eq(res[code_at].reason, c->reason, "%s: reason %s, expected %s",
	             c->name, detect_reason_name(res[code_at].reason),
	             detect_reason_name(c->reason));
	cr_expect_eq(res[code_at].is_exercise, c->reason != DETECT_NONE, "%s",
	             c->name);
	cr_expect_str_eq(res[code_at].number, c->number, "%s: number '%s', "
	                 "expected '%s'", c->name, res[code_at].number, c->number);
	if (c->md)
		cr_expect_not(res[0].is_exercise, "%s: markdown flagged", c->name);
	if (c->reason == DETECT_PLACEHOLDER)
		cr_expect_not_null(res[code_at].pattern);
	else
		cr_expect_null(res[code_at].pattern);
	detector_free(&det);
	cr_expect_null(det);
	notebook_free(&nb);
}

/* Detect nb; the detector is kept in *keep when non-NULL (results point
 * into it), freed otherwise. */
static struct detect_result *run_keep(const struct ct_config *cfg,
                                      const struct notebook *nb,
                                      struct detector **keep)
{
	struct detector *det;
	cr_assert_eq(detector_new(cfg, &det, NULL), CT_OK);
	struct detect_result *res = calloc(nb->ncells, sizeof *res);
	detect_notebook(det, nb, res);
	if (keep)
		*keep = det;
	else
		detector_free(&det);
	return res;
}

static struct detect_result *run(const struct ct_config *cfg,
                                 const struct notebook *nb)
{
	return run_keep(cfg, nb, NULL);
}

Test(detect, section_runs_until_next_heading)
{
	struct notebook *nb = TU_NB("lesson_03.ipynb",
		TMD("## Exercise 3.1"),
		TMD("1. Predict the output."),
		TCODE("print(1)"),
		TCODE("print(2)"),
		TMD("2. Replace None."),
		TCODE("if None:\n    size = 1"),
		TMD("## Next module"),
		TCODE("print(3)"));
	cr_assert_not_null(nb);
	struct detect_result *r = run(NULL, nb);
	cr_expect(r[2].is_exercise);
	cr_expect(r[3].is_exercise);
	cr_expect(r[5].is_exercise);
	cr_expect_eq(r[5].reason, DETECT_HEADING);
	cr_expect_str_eq(r[5].number, "3-1");
	cr_expect_not(r[7].is_exercise);
	cr_expect_str_eq(r[7].number, "");
	free(r);
	notebook_free(&nb);
}

Test(detect, example_paragraph_inside_exercise_section)
{
	struct notebook *nb = TU_NB("lesson_03.ipynb",
		TMD("## Exercise 2\n\nFor example, this prints:"),
		TCODE("print('demo')"),
		TMD("Now write your own."),
		TCODE("x = 1"));
	cr_assert_not_null(nb);
	struct detect_result *r = run(NULL, nb);
	cr_expect_not(r[1].is_exercise, "demo cell flagged");
	cr_expect(r[3].is_exercise);
	free(r);
	notebook_free(&nb);
}

Test(detect, paragraph_applies_until_next_markdown)
{
	struct notebook *nb = TU_NB("lesson_03.ipynb",
		TMD("Exercise 4: count words."),
		TCODE("text = 'a b'"),
		TCODE("words = 2"),
		TMD("That was it."),
		TCODE("print(words)"));
	cr_assert_not_null(nb);
	struct detect_result *r = run(NULL, nb);
	cr_expect_eq(r[1].reason, DETECT_PARAGRAPH);
	cr_expect_str_eq(r[1].number, "4");
	cr_expect_eq(r[2].reason, DETECT_PARAGRAPH);
	cr_expect_not(r[4].is_exercise);
	free(r);
	notebook_free(&nb);
}

Test(detect, instruction_only_first_code_cell)
{
	struct notebook *nb = TU_NB("lesson_03.ipynb",
		TMD("Change the value in the cell below and rerun it."),
		TCODE("x = 3"),
		TCODE("print(x * 2)"));
	cr_assert_not_null(nb);
	struct detect_result *r = run(NULL, nb);
	cr_expect_eq(r[1].reason, DETECT_INSTRUCTION);
	cr_expect_not(r[2].is_exercise);
	free(r);
	notebook_free(&nb);
}

Test(detect, raw_and_markdown_never_exercises)
{
	struct notebook *nb = TU_NB("lesson_03.ipynb",
		TMD("# YOUR CODE HERE"),
		(struct tcell){ "raw", "raise NotImplementedError", NULL });
	cr_assert_not_null(nb);
	struct detect_result *r = run(NULL, nb);
	cr_expect_not(r[0].is_exercise);
	cr_expect_not(r[1].is_exercise);
	free(r);
	notebook_free(&nb);
}

Test(detect, notebook_alloc_with_and_without_detector)
{
	struct notebook *nb = TU_NB("lesson_03.ipynb",
		TMD("## Exercise 3.2"),
		TCODE("x = 1"),
		TCODE("# YOUR CODE HERE"));
	cr_assert_not_null(nb);
	struct detector *det;
	struct detect_result *own = NULL, *given = NULL;
	cr_assert_eq(detector_new(NULL, &det, NULL), CT_OK);
	cr_assert_eq(detect_notebook_alloc(NULL, NULL, nb, &own, NULL), CT_OK);
	cr_assert_eq(detect_notebook_alloc(det, NULL, nb, &given, NULL), CT_OK);
	for (size_t i = 0; i < nb->ncells; i++) {
		cr_expect_eq(own[i].reason, given[i].reason, "cell %zu", i);
		cr_expect_str_eq(own[i].number, given[i].number, "cell %zu", i);
	}
	cr_expect_eq(own[1].reason, DETECT_HEADING);
	cr_expect_str_eq(own[1].number, "3-2");
	cr_expect_eq(own[2].reason, DETECT_PLACEHOLDER);
	free(own);
	free(given);
	detector_free(&det);
	notebook_free(&nb);

	/* no cells: still an array to free */
	nb = tu_nb("empty.ipynb", NULL, 0);
	cr_assert_not_null(nb);
	cr_assert_eq(detect_notebook_alloc(NULL, NULL, nb, &own, NULL), CT_OK);
	cr_expect_not_null(own);
	free(own);
	notebook_free(&nb);
}

Test(detect, configured_patterns)
{
	struct ct_config cfg;
	config_init_defaults(&cfg);
	static const char *const pats[] = { "FILL ME", "  ____ " };
	static const char *const extra[] = { "# answer * below" };
	static const char *const words[] = { "Aufgabe" };
	struct notebook *nb = TU_NB("lesson_03.ipynb",
		TCODE("# YOUR CODE HERE"),
		TCODE("x = 'fill me'"),
		TCODE("y = ____"),
		TCODE("# Answer goes below"),
		TMD("## Aufgabe 2"),
		TCODE("z = 1"),
		TMD("## Exercise 3"),
		TCODE("w = 1"));
	cr_assert_not_null(nb);

	cfg.exercise_patterns = pats;
	cfg.nexercise_patterns = 2;
	cfg.heading_words = words;
	cfg.nheading_words = 1;
	struct detector *det;
	struct detect_result *r = run_keep(&cfg, nb, &det);
	cr_expect_not(r[0].is_exercise, "built-in pattern still active");
	cr_expect_eq(r[1].reason, DETECT_PLACEHOLDER);
	cr_expect_str_eq(r[1].pattern, "FILL ME");
	cr_expect_eq(r[2].reason, DETECT_PLACEHOLDER);
	cr_expect_not(r[3].is_exercise);
	cr_expect_eq(r[5].reason, DETECT_HEADING);
	cr_expect_str_eq(r[5].number, "2");
	cr_expect_not(r[7].is_exercise, "built-in heading word still active");
	free(r);
	detector_free(&det);

	cfg.exercise_patterns = NULL;
	cfg.nexercise_patterns = 0;
	cfg.extra_exercise_patterns = extra;
	cfg.nextra_exercise_patterns = 1;
	cfg.heading_words = NULL;
	cfg.nheading_words = 0;
	r = run_keep(&cfg, nb, &det);
	cr_expect(r[0].is_exercise);
	cr_expect_not(r[1].is_exercise);
	cr_expect_eq(r[3].reason, DETECT_PLACEHOLDER);
	cr_expect_str_eq(r[3].pattern, "# answer * below");
	cr_expect_eq(r[7].reason, DETECT_HEADING);
	free(r);
	detector_free(&det);
	notebook_free(&nb);
}

Test(detect, placeholder_direct)
{
	struct detector *det;
	cr_assert_eq(detector_new(NULL, &det, NULL), CT_OK);
	const char *pat = NULL;
	const char *src = "x = 1\nanswer = 'YOUR CODE HERE'";
	cr_expect(detect_placeholder(det, src, strlen(src), &pat));
	cr_expect_str_eq(pat, "YOUR CODE HERE");
	/* NUL bytes inside the source do not stop the scan */
	const char withnul[] = "a\0# TODO";
	cr_expect(detect_placeholder(det, withnul, sizeof withnul - 1, &pat));
	cr_expect_not(detect_placeholder(det, "", 0, &pat));
	cr_expect_null(pat);
	detector_free(&det);
	cr_expect_not(detect_stub_body("", 0));
	cr_expect(detect_stub_body("for i in x: pass", 16));
}

Test(detect, reason_names)
{
	cr_expect_str_eq(detect_reason_name(DETECT_STUB_BODY), "stub-body");
	cr_expect_str_eq(detect_reason_name(DETECT_NBGRADER_SOLUTION),
	                 "nbgrader-solution");
	cr_expect_str_eq(detect_reason_name(DETECT_INSTRUCTION), "instruction");
	cr_expect_str_eq(detect_reason_name(DETECT_REASON_COUNT), "?");
}

/* CPU seconds (best of three) to detect one code cell of n bytes full of
 * near-misses of the placeholder and stub patterns. */
static double detect_cpu(size_t n)
{
	char *src = malloc(n + 1);
	cr_assert_not_null(src);
	for (size_t i = 0; i < n; i++)
		src[i] = "#your  r y\ndef f(:\n"[i % 19];
	src[n] = '\0';
	struct tcell cell = { "code", src, NULL };
	struct notebook *nb = tu_nb("lesson_01.ipynb", &cell, 1);
	cr_assert_not_null(nb);
	struct detector *det;
	cr_assert_eq(detector_new(NULL, &det, NULL), CT_OK);
	double best = 1e9;
	for (int k = 0; k < 3; k++) {
		struct detect_result r;
		double a = tu_cpu_seconds();
		detect_notebook(det, nb, &r);
		double s = tu_cpu_seconds() - a;
		if (s < best)
			best = s;
	}
	detector_free(&det);
	notebook_free(&nb);
	free(src);
	return best;
}

/* O(total source size): four times the text costs about four times the
 * CPU (a quadratic scan would cost sixteen).  A ratio of CPU times, so a
 * busy machine does not fail it. */
Test(detect, linear_on_large_cells, .timeout = 60)
{
	double small = detect_cpu((size_t)2 << 20), large = detect_cpu((size_t)8 << 20);
	cr_log_info("detect: 2 MB %.4f s, 8 MB %.4f s of CPU", small, large);
	cr_expect(large < 8 * small + 0.01, "8 MB took %.4f s, 2 MB %.4f s: "
	          "not linear", large, small);
}

/* The real course notebooks of the corpus: which code cells are flagged
 * (checked by eye once, then pinned here). */
static void expect_flags(const char *dir, const char *rel, const size_t *want,
                         size_t nwant)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	struct notebook *nb = NULL;
	struct ct_error err;
	cr_assert_eq(notebook_load(path, &nb, &err), CT_OK, "%s: %s", rel, err.msg);
	struct detect_result *r = run(NULL, nb);
	size_t k = 0, flagged = 0;
	for (size_t i = 0; i < nb->ncells; i++) {
		bool expect = k < nwant && want[k] == i;
		if (expect)
			k++;
		flagged += r[i].is_exercise;
		cr_expect_eq(r[i].is_exercise, expect, "%s: cell %zu %s (%s)", rel,
		             i, expect ? "not flagged" : "flagged",
		             detect_reason_name(r[i].reason));
	}
	cr_expect_eq(flagged, nwant, "%s", rel);
	free(r);
	notebook_free(&nb);
}

Test(detect, corpus_course_notebooks)
{
	const char *dir = tu_corpus_dir();
	if (!dir) {
		cr_log_warn("skipped: corpus not found (../shared/corpus or $CELLTAG_CORPUS)");
		cr_skip_test("corpus not found");
	}
	expect_flags(dir, "CentreForDigitalHumanities__programming-in-python/"
	             "03 Conditionals.ipynb",
	             (size_t[]){ 5, 20, 21, 22, 23, 25, 27, 29, 32 }, 9);
	expect_flags(dir, "CentreForDigitalHumanities__programming-in-python/"
	             "06 Loops.ipynb", (size_t[]){ 12, 14, 39, 41, 43 }, 5);
	expect_flags(dir, "Kaggle__learntools/python_ex_3.ipynb",
	             (size_t[]){ 3, 13, 22, 28, 33, 36, 39 }, 7);
	expect_flags(dir, "Kaggle__learntools/intro_to_programming_tut2.ipynb",
	             (size_t[]){ 0 }, 0);
	expect_flags(dir, "jupyter__nbgrader/release_ps1_problem1.ipynb",
	             (size_t[]){ 5, 8, 9, 11, 14, 15, 19 }, 7);
	expect_flags(dir, "jupyter__nbgrader/creating_and_grading_assignments.ipynb",
	             (size_t[]){ 0 }, 0);
}
