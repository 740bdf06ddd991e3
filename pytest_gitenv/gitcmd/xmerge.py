"""Three-way file merge with git's conflict hunks (xdiff's "zealous" merge level).

Both sides are diffed against the base with git's Myers diff (no indent heuristic,
as in merges); overlapping changes become conflicts, which are then narrowed by
diffing the two sides and joined when at most three lines separate them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .xdiff import Change, diff_lines, split_lines

MARKER = 7


@dataclass
class _Hunk:
    mode: int  # 0 conflict, 1 take ours, 2 take theirs, 4 identical (skipped)
    i0: int
    chg0: int
    i1: int
    chg1: int
    i2: int
    chg2: int


@dataclass(frozen=True)
class MergeResult:
    data: bytes
    conflicts: int


def _append(hunks: list[_Hunk], mode: int, i0: int, chg0: int, i1: int, chg1: int,
            i2: int, chg2: int) -> None:
    m = hunks[-1] if hunks else None
    if m and (i1 <= m.i1 + m.chg1 or i2 <= m.i2 + m.chg2):
        if mode != m.mode:
            m.mode = 0
        m.chg0 = i0 + chg0 - m.i0
        m.chg1 = i1 + chg1 - m.i1
        m.chg2 = i2 + chg2 - m.i2
    else:
        hunks.append(_Hunk(mode, i0, chg0, i1, chg1, i2, chg2))


def _combine(x1: list[Change], x2: list[Change], ours: list[bytes], theirs: list[bytes],
             n_base: int) -> list[_Hunk]:
    hunks: list[_Hunk] = []
    a = b = 0
    while a < len(x1) and b < len(x2):
        c1, c2 = x1[a], x2[b]
        if c1.i1 + c1.chg1 < c2.i1:
            _append(hunks, 1, c1.i1, c1.chg1, c1.i2, c1.chg2, c2.i2 - c2.i1 + c1.i1, c1.chg1)
            a += 1
            continue
        if c2.i1 + c2.chg1 < c1.i1:
            _append(hunks, 2, c2.i1, c2.chg1, c1.i2 - c1.i1 + c2.i1, c2.chg1, c2.i2, c2.chg2)
            b += 1
            continue
        if (c1.i1 != c2.i1 or c1.chg1 != c2.chg1 or c1.chg2 != c2.chg2
                or ours[c1.i2:c1.i2 + c1.chg2] != theirs[c2.i2:c2.i2 + c2.chg2]):
            off = c1.i1 - c2.i1
            ffo = off + c1.chg1 - c2.chg1
            i0, i1, i2 = c1.i1, c1.i2, c2.i2
            if off > 0:
                i0 -= off
                i1 -= off
            else:
                i2 += off
            chg0 = c1.i1 + c1.chg1 - i0
            chg1 = c1.i2 + c1.chg2 - i1
            chg2 = c2.i2 + c2.chg2 - i2
            if ffo < 0:
                chg0 -= ffo
                chg1 -= ffo
            else:
                chg2 += ffo
            _append(hunks, 0, i0, chg0, i1, chg1, i2, chg2)
        end1, end2 = c1.i1 + c1.chg1, c2.i1 + c2.chg1
        if end1 >= end2:
            b += 1
        if end2 >= end1:
            a += 1
    for c1 in x1[a:]:
        _append(hunks, 1, c1.i1, c1.chg1, c1.i2, c1.chg2,
                c1.i1 + len(theirs) - n_base, c1.chg1)
    for c2 in x2[b:]:
        _append(hunks, 2, c2.i1, c2.chg1, c2.i1 + len(ours) - n_base, c2.chg1,
                c2.i2, c2.chg2)
    return hunks


def _refine(hunks: list[_Hunk], ours: list[bytes], theirs: list[bytes]) -> list[_Hunk]:
    """Narrow each conflict to the lines where the two sides really differ."""
    out: list[_Hunk] = []
    for m in hunks:
        if m.mode or m.chg1 == 0 or m.chg2 == 0:
            out.append(m)
            continue
        script = diff_lines(ours[m.i1:m.i1 + m.chg1], theirs[m.i2:m.i2 + m.chg2],
                            indent_heuristic=False)
        if not script:
            m.mode = 4
            out.append(m)
            continue
        out += [_Hunk(0, m.i0, m.chg0, c.i1 + m.i1, c.chg1, c.i2 + m.i2, c.chg2)
                for c in script]
    return out


def _simplify(hunks: list[_Hunk]) -> None:
    """Join conflicts separated by at most three unchanged lines."""
    k = 0
    while k + 1 < len(hunks):
        m, nxt = hunks[k], hunks[k + 1]
        if m.mode != 0 or nxt.mode != 0 or nxt.i1 - (m.i1 + m.chg1) > 3:
            k += 1
            continue
        m.chg1 = nxt.i1 + nxt.chg1 - m.i1
        m.chg2 = nxt.i2 + nxt.chg2 - m.i2
        del hunks[k + 1]


def _copy(lines: list[bytes], start: int, count: int, add_nl: bool) -> list[bytes]:
    if count < 1:
        return []
    chunk = lines[start:start + count]
    if add_nl and not chunk[-1].endswith(b"\n"):
        chunk[-1] += b"\n"
    return chunk


def _fill(hunks: list[_Hunk], ours: list[bytes], theirs: list[bytes], name1: str,
          name2: str) -> bytes:
    out: list[bytes] = []
    i = 0
    for m in hunks:
        if m.mode == 0:
            out += _copy(ours, i, m.i1 - i, False)
            out.append(b"<" * MARKER + (b" " + name1.encode() if name1 else b"") + b"\n")
            out += _copy(ours, m.i1, m.chg1, True)
            out.append(b"=" * MARKER + b"\n")
            out += _copy(theirs, m.i2, m.chg2, True)
            out.append(b">" * MARKER + (b" " + name2.encode() if name2 else b"") + b"\n")
        elif m.mode == 1:
            out += _copy(ours, i, m.i1 + m.chg1 - i, False)
        elif m.mode == 2:
            out += _copy(theirs, m.i2 - m.i1 + i, m.i1 + m.chg2 - i, False)
        else:
            continue
        i = m.i1 + m.chg1
    out += _copy(ours, i, len(ours) - i, False)
    return b"".join(out)


FAVOR_OURS, FAVOR_THEIRS = 1, 2  # xdiff's XDL_MERGE_FAVOR_*: a conflict hunk takes that side


def is_binary(data: bytes) -> bool:
    return b"\0" in data[:8000]


def merge_content(base: bytes, ours: bytes, theirs: bytes, name1: str,
                  name2: str, favor: int = 0) -> MergeResult:
    """Merge `ours` and `theirs` (changes from `base`); conflicts get git's markers, or
    with `favor` (FAVOR_OURS/FAVOR_THEIRS, git's -X ours/theirs) that side's lines."""
    if is_binary(base) or is_binary(ours) or is_binary(theirs):
        if favor:
            return MergeResult(ours if favor == FAVOR_OURS else theirs, 0)
        return MergeResult(ours, 0 if ours == theirs else 1)
    lb, l1, l2 = split_lines(base), split_lines(ours), split_lines(theirs)
    x1 = diff_lines(lb, l1, indent_heuristic=False)
    x2 = diff_lines(lb, l2, indent_heuristic=False)
    if not x1:
        return MergeResult(theirs, 0)
    if not x2:
        return MergeResult(ours, 0)
    hunks = _refine(_combine(x1, x2, l1, l2, len(lb)), l1, l2)
    _simplify(hunks)
    for hunk in hunks:
        if hunk.mode == 0 and favor:
            hunk.mode = favor
    return MergeResult(_fill(hunks, l1, l2, name1, name2),
                       sum(1 for h in hunks if h.mode == 0))
