#!/usr/bin/python3
"""Regenerate the manual's tables that come straight from the code.

    python3 man/update-tables.py

Rewrites, in place, the entries of three lists (and nothing else):
  man/celltag.1         lint codes  (core/rules.h RULES_CODE_INFO)
  man/celltag.1         KEYS        (tui/actions.h + tui/keymap.c defaults)
  man/celltag-themes.5  Elements    (tui/theme.h THEME_ELEMENTS)
Each list is found by the text line just before its `.Bl`.  The prose
elsewhere (subcommands, options, config keys, exercise rules) is written by
hand; tests/shell/manual_sync.sh checks all of it against the code.
"""
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CSTR = r'"((?:[^"\\]|\\.)*)"'          # a C string literal's contents


def read(rel):
    with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
        return f.read()


def sentence(desc):
    """C help text as a sentence; "metadata.tags ..." keeps its case."""
    desc = desc.replace('\\"', '"')
    if "." not in desc.split(" ")[0]:
        desc = desc[0].upper() + desc[1:]
    return desc + "."


def lint_codes():
    out = []
    rules = read("core/rules.h")
    rules = rules[rules.index("#define RULES_CODE_INFO(_)"):]
    for name, sev, desc in re.findall(
            r'_\(\w+,\s*"([a-z-]+)",\s*(ERROR|WARNING|INFO),\s*' + CSTR + r'\)', rules):
        if name != "ok":
            out += [f".It Cm {name} Pq {sev.lower()}", sentence(desc)]
    return out


def mdoc_key(k):
    k = k.replace("\\\\", "\\")
    if k in ("[", "]", "?", "(", ")", ".", ",", ":", ";", "!", "|"):
        return "\\&" + k               # mdoc delimiters
    return "\\e" if k == "\\" else k


def keys():
    src = read("tui/keymap.c")
    src = src[src.index("default_bindings[] = {"):]
    src = src[:src.index("\n};")]
    binds = re.findall(r'\{ *' + CSTR + r', *ACTION_(\w+) *\}', src)
    out = []
    actions = read("tui/actions.h")
    actions = actions[actions.index("#define ACTION_INFO(_)"):]
    for enum, name, desc in re.findall(r'_\((\w+),\s*"([a-z-]+)",\s*' + CSTR + r'\)', actions):
        ks = [mdoc_key(k) for k, a in binds if a == enum]
        out.append(".It " + (" , ".join("Cm " + k for k in ks) if ks else "Em (no default key)"))
        out += [f".Ic {name} :", desc.replace('\\"', '"') + "."]
    return out


COLOURS = {"TC_DEF": "default"}
for _c in ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"):
    COLOURS["TC_" + _c.upper()] = _c
    COLOURS["TC_B" + _c.upper()] = "bright-" + _c


def attrs(a):
    a = a.strip()
    return "none" if a == "TA_NONE" else ", ".join(x.strip()[3:].lower() for x in a.split("|"))


def theme_elements():
    src = read("tui/theme.h")
    src = src[src.index("#define THEME_ELEMENTS(_)"):src.index("enum theme_element {")]
    out = []
    for name, fg, bg, at, mono, desc in re.findall(
            r'_\(\w+,\s*"([^"]+)",\s*(\w+),\s*(\w+),\s*([\w |]+?),\s*([\w |]+?),\s*'
            + CSTR + r'\)', src):
        out += [f".It Cm {name}", sentence(desc),
                f"Default: fg {COLOURS[fg]}, bg {COLOURS[bg]}, attrs {attrs(at)}; "
                f"without colour: {attrs(mono)}."]
    return out


def replace_list(rel, before, entries):
    """Replace the items of the .Bl list that follows the line `before`."""
    path = os.path.join(ROOT, rel)
    lines = read(rel).split("\n")
    i = lines.index(before) + 1
    assert lines[i].startswith(".Bl"), f"{rel}: no .Bl after {before!r}"
    j = i + 1
    while lines[j] != ".El":
        j += 1
    lines[i + 1:j] = entries
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    replace_list("man/celltag.1", "The findings, with their stable codes:", lint_codes())
    replace_list("man/celltag.1", "changes them, naming the actions below.", keys())
    replace_list("man/celltag-themes.5", "theme.", theme_elements())
