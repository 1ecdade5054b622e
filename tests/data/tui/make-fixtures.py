import json, sys, os

def nb(cells):
    out = []
    for i, (kind, src, extra) in enumerate(cells):
        c = {"cell_type": kind, "id": "c%02d" % i, "metadata": dict(extra.get("metadata", {})), "source": src.splitlines(True)}
        if kind == "code":
            c["execution_count"] = extra.get("ec")
            c["outputs"] = extra.get("outputs", [])
        out.append(c)
    return {"cells": out, "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python", "version": "3.11.4"}}, "nbformat": 4, "nbformat_minor": 5}

def write(path, cells):
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(nb(cells), indent=1, sort_keys=True, ensure_ascii=False) + "\n")

M = lambda s, **k: ("markdown", s, k)
C = lambda s, **k: ("code", s, k)
R = lambda s, **k: ("raw", s, k)

lesson03 = [
    M("# Lesson 3: Loops\n\nA loop repeats a block of code. This lesson covers `for` and `while`."),
    C("numbers = [1, 2, 3, 4]\nfor n in numbers:\n    print(n * 2)", ec=1,
      outputs=[{"name": "stdout", "output_type": "stream", "text": ["2\n", "4\n", "6\n", "8\n"]}]),
    M("## Exercise 1\n\nPrint the squares of the numbers from 1 to 5."),
    C("# YOUR CODE HERE\n", ec=None),
    M("## Exercise 2\n\nSum the even numbers below 100 with a `while` loop."),
    C("total = 0\n# YOUR CODE HERE\nprint(total)", ec=None, metadata={"tags": ["assignment:lesson-03-exercise-2"]}),
    M("### Generators\n\nA function with `yield` produces values lazily."),
    C("@decorator\ndef count_down(n):\n    \"\"\"Count down from n.\"\"\"\n    while n > 0:\n        yield n  # one value\n        n -= 1\n\nlist(count_down(3))", ec=2, metadata={"tags": ["hide-input"]}),
    M("## Exercise 3\n\nWrite `fizzbuzz(n)` returning the list of FizzBuzz words."),
    C("def fizzbuzz(n):\n    # YOUR CODE HERE\n    raise NotImplementedError()", ec=None),
    R("raw cell: not rendered"),
    C("assert fizzbuzz(3) == ['1', '2', 'Fizz']", ec=None, metadata={"tags": ["tests", "locked"]}),
    M("That's all for loops. Next: functions."),
]
write(sys.argv[1] + "/lesson-03.ipynb", lesson03)

hostile = [
    M("# Hostile content\n\nThis notebook holds escape sequences."),
    C("print('\x1b[2J\x1b[31mred\x1b[0m and \x1b]52;c;SGVsbG8=\x07 clipboard')\n# bell: \x07 tab:\there", ec=1),
    C("# bidi \u202e reversed \u202c and zero\u200bwidth\nx = 'wide: 日本語 ok'", ec=2),
    C("# YOUR CODE HERE\n\x1b]0;pwned title\x07", ec=None, metadata={"tags": ["\x1b[7mevil"]}),
]
write(sys.argv[1] + "/hostile.ipynb", hostile)

# Long lines: the preview wraps them (a Markdown paragraph is one line).
long_lines = [
    M("# Wrapping\n\n" + "This paragraph is one long source line, as Jupyter stores every Markdown paragraph; "
      "the preview must wrap it so that the whole text can be read without leaving the editor. End."),
    C("\n".join(["x%02d = %d  # a short line" % (i, i) for i in range(1, 19)]) +
      "\nresult = compute(alpha=1, beta=2, gamma=3, delta=4, epsilon=5, zeta=6, eta=7, theta=8, iota=9)"
      "\nprint('last line')", ec=3, metadata={"tags": ["assignment:lesson-07-exercise-12", "solution"]}),
]
write(sys.argv[1] + "/long-lines.ipynb", long_lines)

# A course with sub-folders whose paths do not fit a narrow course screen.
nested = sys.argv[1] + "/nested"
for sub in ("unit-01-a-rather-long-folder-name", "unit-02"):
    os.makedirs(nested + "/" + sub, exist_ok=True)
write(nested + "/unit-01-a-rather-long-folder-name/lesson-03-loops-and-iteration.ipynb", lesson03)
write(nested + "/unit-02/lesson-04.ipynb", long_lines)

if len(sys.argv) > 2:
    course = sys.argv[2]
    os.makedirs(course, exist_ok=True)
    write(course + "/lesson-03.ipynb", lesson03)
    write(course + "/lesson-04.ipynb", [
        M("# Lesson 4: Functions"),
        C("def greet(name):\n    return f'Hello, {name}!'\n\ngreet('Ada')", ec=1),
        M("## Exercise 1\n\nWrite `area(r)` for a circle."),
        C("def area(r):\n    # YOUR CODE HERE\n    pass", ec=None, metadata={"tags": ["assignment:lesson-04-exercise-1"]}),
        M("## Exercise 2\n\nWrite `is_even(n)`."),
        C("def is_even(n):\n    # YOUR CODE HERE\n    pass", ec=None, metadata={"tags": ["assignment:lesson-04-exercise-2"]}),
    ])
    with open(course + "/broken.ipynb", "w") as f:
        f.write('{"cells": [\n  {"cell_type": "code",, }\n')

# Expected result of the tmux flow: lesson-03 with the suggestion accepted
# on the first untagged exercise (cell 3), as Jupyter would write it.
tagged = list(lesson03)
kind, src, extra = tagged[3]
tagged[3] = (kind, src, dict(extra, metadata={"tags": ["assignment:lesson-03-exercise-1"]}))
write(sys.argv[1] + "/lesson-03.expected-tagged.ipynb", tagged)
