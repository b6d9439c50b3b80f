"""Putting an entry's own Markdown inside a bigger document, and taking it back out exactly.

In a single-file export every entry sits under a level-2 heading, so a body's own headings
are demoted by two levels (`#` becomes `###`); in the therapy summary the entry heading is
at level 3, and they move down three (`#` becomes `####`). What was changed is recorded in
the export's marker line, so the import can undo it to the character. A body that could
still disturb the document around it (an unclosed code fence or HTML comment, an unusual
heading) is shown inside a code fence instead, which nothing inside it can close.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

# Lines that might start a heading, a fence or an HTML block, possibly inside a quote or a
# list. Bodies without any (almost all) need no Markdown parsing at all.
_SUSPECT = re.compile(r"^[ \t>*+\-\d.)]*(?:#|[=\-]+[ \t]*$|```|~~~|<)", re.MULTILINE)
# Container markers (quotes, list items) before an ATX heading's hashes.
_ATX = re.compile(r"^((?:[ \t]*(?:>|[*+-]|\d{1,9}[.)]))*[ \t]*)(#{1,6})(?=[ \t]|$)")
_TILDES = re.compile(r"~+")
ENTRY_LEVEL = 2  # the level of the entry heading a body sits under, in an export


@cache
def markdown_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def _lines_for_parser(lines: list[str]) -> str:
    # Markdown treats a lone \r as a line end; we split on \n only, so hide it.
    return "\n".join(lines).replace("\r", " ")


def _is_contained(lines: list[str], entry_level: int) -> bool:
    """True when the lines, followed by a blank line and a heading at the entry's level,
    leave that heading where it is and hold no heading at that level or above."""
    text = _lines_for_parser(lines) + "\n\n" + "#" * entry_level + " end\n"
    big = [
        t
        for t in markdown_parser().parse(text)
        if t.type == "heading_open" and int(t.tag[1]) <= entry_level
    ]
    return len(big) == 1 and big[0].map is not None and big[0].map[0] == len(lines) + 1


def _fenced(lines: list[str]) -> tuple[list[str], dict[str, Any]]:
    longest = max((len(run) for run in _TILDES.findall("\n".join(lines))), default=0)
    fence = "~" * max(4, longest + 1)
    return [fence, *lines, fence], {"fence": len(fence)}


def encode_body(body: str, entry_level: int = ENTRY_LEVEL) -> tuple[list[str], dict[str, Any]]:
    """The body's lines as they go under an entry heading of level `entry_level` (a
    single-file export: 2; the summary: 3), and what to record to undo it. The body's
    headings move down by that many levels (to 6 at most), so they sit below the entry's."""
    lines = body.split("\n")
    if "\r" not in body and not _SUSPECT.search(body):
        return lines, {}
    if "\r" in body:
        return _fenced(lines)
    tokens = markdown_parser().parse(_lines_for_parser(lines))
    out: list[str] = []
    demoted: list[list[int]] = []
    setext: dict[str, list[str]] = {}
    position = 0
    for token in tokens:
        if token.type != "heading_open" or token.map is None:
            continue
        start, end = token.map
        out.extend(lines[position:start])
        level = int(token.tag[1])
        if token.markup.startswith("#"):
            match = _ATX.match(lines[start])
            if match is None:
                return _fenced(lines)
            new_level = min(level + entry_level, 6)
            demoted.append([len(out), level])
            out.append(match[1] + "#" * new_level + lines[start][match.end(2) :])
        else:
            if token.level != 0 or lines[start][:1] in (" ", "\t"):
                return _fenced(lines)
            inline = tokens[tokens.index(token) + 1]
            setext[str(len(out))] = lines[start:end]
            new_level = min(level + entry_level, 6)
            out.append("#" * new_level + " " + " ".join(inline.content.split("\n")))
        position = end
    out.extend(lines[position:])
    if not _is_contained(out, entry_level):
        return _fenced(lines)
    info: dict[str, Any] = {}
    if demoted:
        info["demoted"] = demoted
    if setext:
        info["setext"] = setext
    return out, info


def decode_body(lines: list[str], info: dict[str, Any]) -> str:
    """Undo `encode_body`: the entry's body exactly as it was written."""
    lines = list(lines)
    fence = info.get("fence")
    if isinstance(fence, int) and len(lines) >= 2:
        return "\n".join(lines[1:-1])
    for item in info.get("demoted", []):
        index, level = int(item[0]), int(item[1])
        if 0 <= index < len(lines) and (match := _ATX.match(lines[index])):
            lines[index] = match[1] + "#" * level + lines[index][match.end(2) :]
    setext = info.get("setext", {})
    for key in sorted(setext, key=int, reverse=True):
        index = int(key)
        if 0 <= index < len(lines):
            lines[index : index + 1] = [str(line) for line in setext[key]]
    return "\n".join(lines)
