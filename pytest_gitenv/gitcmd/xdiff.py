"""Line diff that reproduces git's default (Myers) xdiff output hunk for hunk.

Follows git 2.39's algorithm: trim common ends, discard lines without matches,
divide-and-conquer Myers with the cost heuristics, then slide change groups
(`xdl_change_compact`) with the indent heuristic, and group into hunks of
three context lines with git's default function-name rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from . import deadline

_MAX_EQLIMIT = 1024
_SIMSCAN_WINDOW = 100
_KPDIS_RUN = 4
_MAX_COST_MIN = 256
_HEUR_MIN_COST = 256
_SNAKE_CNT = 20
_K_HEUR = 4
_LINE_MAX = 1 << 62
_MAX_INDENT = 200
_MAX_BLANKS = 20
_MAX_SLIDING = 100
_SPACE = b" \t\n\v\f\r"
NO_NEWLINE = b"\\ No newline at end of file\n"


def split_lines(data: bytes) -> list[bytes]:
    """Records as xdiff sees them: each line with its newline, the last maybe without."""
    parts = data.split(b"\n")
    lines = [p + b"\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _bogosqrt(n: int) -> int:
    i = 1
    while n > 0:
        i <<= 1
        n >>= 2
    return i


@dataclass(slots=True)
class Change:
    """Lines [i1, i1+chg1) of the old file replaced by [i2, i2+chg2) of the new."""

    i1: int
    i2: int
    chg1: int
    chg2: int


class _Side:
    """One file: class ids per line and the `changed` marks (offset by one for sentinels)."""

    __slots__ = ("changed", "ids", "lines", "nrec")

    def __init__(self, lines: list[bytes], ids: list[int]) -> None:
        self.lines = lines
        self.ids = ids
        self.nrec = len(ids)
        self.changed = bytearray(self.nrec + 2)

    def is_changed(self, i: int) -> bool:
        return bool(self.changed[i + 1])

    def mark(self, i: int, value: bool) -> None:
        self.changed[i + 1] = value


def _clean_mmatch(dis: bytearray, i: int, s: int, e: int) -> bool:
    s = max(s, i - _SIMSCAN_WINDOW)
    e = min(e, i + _SIMSCAN_WINDOW)
    rdis0, rpdis0, r = 0, 1, 1
    while i - r >= s:
        if dis[i - r] == 0:
            rdis0 += 1
        elif dis[i - r] == 2:
            rpdis0 += 1
        else:
            break
        r += 1
    if rdis0 == 0:
        return False
    rdis1, rpdis1, r = 0, 1, 1
    while i + r <= e:
        if dis[i + r] == 0:
            rdis1 += 1
        elif dis[i + r] == 2:
            rpdis1 += 1
        else:
            break
        r += 1
    if rdis1 == 0:
        return False
    rdis1 += rdis0
    rpdis1 += rpdis0
    return rpdis1 * _KPDIS_RUN < rpdis1 + rdis1


def _reduce(side: _Side, other_counts: dict[int, int], dstart: int, dend: int) -> list[int]:
    """Mark lines with no match in the other file as changed; return the rest's indices."""
    mlim = min(_bogosqrt(side.nrec), _MAX_EQLIMIT)
    dis = bytearray(side.nrec + 1)
    ids = side.ids
    for i in range(dstart, dend + 1):
        nm = other_counts.get(ids[i], 0)
        dis[i] = 0 if nm == 0 else 2 if nm >= mlim else 1
    kept = []
    for i in range(dstart, dend + 1):
        if dis[i] == 1 or (dis[i] == 2 and not _clean_mmatch(dis, i, dstart, dend)):
            kept.append(i)
        else:
            side.mark(i, True)
    return kept


def _split(h1: list[int], off1: int, lim1: int, h2: list[int], off2: int, lim2: int,
           kvdf: list[int], kvdb: list[int], base: int, need_min: bool,
           mxcost: int) -> tuple[int, int, bool, bool]:
    """Find the middle snake of the box (Myers), with git's cost-cutting heuristics."""
    dmin, dmax = off1 - lim2, lim1 - off2
    fmid, bmid = off1 - off2, lim1 - lim2
    odd = (fmid - bmid) & 1
    fmin = fmax = fmid
    bmin = bmax = bmid
    kvdf[base + fmid] = off1
    kvdb[base + bmid] = lim1
    ec = 0
    while True:
        ec += 1
        got_snake = False
        if fmin > dmin:
            fmin -= 1
            kvdf[base + fmin - 1] = -1
        else:
            fmin += 1
        if fmax < dmax:
            fmax += 1
            kvdf[base + fmax + 1] = -1
        else:
            fmax -= 1
        for d in range(fmax, fmin - 1, -2):
            lo, hi = kvdf[base + d - 1], kvdf[base + d + 1]
            i1 = lo + 1 if lo >= hi else hi
            prev1 = i1
            i2 = i1 - d
            while i1 < lim1 and i2 < lim2 and h1[i1] == h2[i2]:
                i1 += 1
                i2 += 1
            if i1 - prev1 > _SNAKE_CNT:
                got_snake = True
            kvdf[base + d] = i1
            if odd and bmin <= d <= bmax and kvdb[base + d] <= i1:
                return i1, i2, True, True
        if bmin > dmin:
            bmin -= 1
            kvdb[base + bmin - 1] = _LINE_MAX
        else:
            bmin += 1
        if bmax < dmax:
            bmax += 1
            kvdb[base + bmax + 1] = _LINE_MAX
        else:
            bmax -= 1
        for d in range(bmax, bmin - 1, -2):
            lo, hi = kvdb[base + d - 1], kvdb[base + d + 1]
            i1 = lo if lo < hi else hi - 1
            prev1 = i1
            i2 = i1 - d
            while i1 > off1 and i2 > off2 and h1[i1 - 1] == h2[i2 - 1]:
                i1 -= 1
                i2 -= 1
            if prev1 - i1 > _SNAKE_CNT:
                got_snake = True
            kvdb[base + d] = i1
            if not odd and fmin <= d <= fmax and i1 <= kvdf[base + d]:
                return i1, i2, True, True
        if need_min:
            continue
        if got_snake and ec > _HEUR_MIN_COST:
            found = _heuristic_snake(h1, off1, lim1, h2, off2, lim2, kvdf, base,
                                     fmin, fmax, fmid, ec, forward=True)
            if found:
                return found[0], found[1], True, False
            found = _heuristic_snake(h1, off1, lim1, h2, off2, lim2, kvdb, base,
                                     bmin, bmax, bmid, ec, forward=False)
            if found:
                return found[0], found[1], False, True
        if ec >= mxcost:
            return _furthest(off1, lim1, off2, lim2, kvdf, kvdb, base, fmin, fmax, bmin, bmax)


def _heuristic_snake(h1: list[int], off1: int, lim1: int, h2: list[int], off2: int,
                     lim2: int, kv: list[int], base: int, lo: int, hi: int, mid: int,
                     ec: int, forward: bool) -> tuple[int, int] | None:
    best, found = 0, None
    for d in range(hi, lo - 1, -2):
        dd = abs(d - mid)
        i1 = kv[base + d]
        i2 = i1 - d
        if forward:
            v = (i1 - off1) + (i2 - off2) - dd
            ok = (off1 + _SNAKE_CNT <= i1 < lim1) and (off2 + _SNAKE_CNT <= i2 < lim2)
        else:
            v = (lim1 - i1) + (lim2 - i2) - dd
            ok = (off1 < i1 <= lim1 - _SNAKE_CNT) and (off2 < i2 <= lim2 - _SNAKE_CNT)
        if not (v > _K_HEUR * ec and v > best and ok):
            continue
        if forward:
            k = 1
            while h1[i1 - k] == h2[i2 - k]:
                if k == _SNAKE_CNT:
                    best, found = v, (i1, i2)
                    break
                k += 1
        else:
            k = 0
            while h1[i1 + k] == h2[i2 + k]:
                if k == _SNAKE_CNT - 1:
                    best, found = v, (i1, i2)
                    break
                k += 1
    return found


def _furthest(off1: int, lim1: int, off2: int, lim2: int, kvdf: list[int], kvdb: list[int],
              base: int, fmin: int, fmax: int, bmin: int,
              bmax: int) -> tuple[int, int, bool, bool]:
    fbest = fbest1 = -1
    for d in range(fmax, fmin - 1, -2):
        i1 = min(kvdf[base + d], lim1)
        i2 = i1 - d
        if lim2 < i2:
            i1, i2 = lim2 + d, lim2
        if fbest < i1 + i2:
            fbest, fbest1 = i1 + i2, i1
    bbest = bbest1 = _LINE_MAX
    for d in range(bmax, bmin - 1, -2):
        i1 = max(off1, kvdb[base + d])
        i2 = i1 - d
        if i2 < off2:
            i1, i2 = off2 + d, off2
        if i1 + i2 < bbest:
            bbest, bbest1 = i1 + i2, i1
    if (lim1 + lim2) - bbest < fbest - (off1 + off2):
        return fbest1, fbest - fbest1, True, False
    return bbest1, bbest - bbest1, False, True


def _compare(a: _Side, r1: list[int], b: _Side, r2: list[int], need_min: bool) -> None:
    h1 = [a.ids[i] for i in r1]
    h2 = [b.ids[i] for i in r2]
    ndiags = len(h1) + len(h2) + 3
    kvdf = [0] * (2 * ndiags + 2)
    kvdb = [0] * (2 * ndiags + 2)
    base = len(h2) + 1
    mxcost = max(_bogosqrt(ndiags), _MAX_COST_MIN)
    stack = [(0, len(h1), 0, len(h2), need_min)]
    while stack:
        deadline.check()
        off1, lim1, off2, lim2, nmin = stack.pop()
        while off1 < lim1 and off2 < lim2 and h1[off1] == h2[off2]:
            off1 += 1
            off2 += 1
        while off1 < lim1 and off2 < lim2 and h1[lim1 - 1] == h2[lim2 - 1]:
            lim1 -= 1
            lim2 -= 1
        if off1 == lim1:
            for i in range(off2, lim2):
                b.mark(r2[i], True)
        elif off2 == lim2:
            for i in range(off1, lim1):
                a.mark(r1[i], True)
        else:
            i1, i2, min_lo, min_hi = _split(h1, off1, lim1, h2, off2, lim2, kvdf, kvdb,
                                            base, nmin, mxcost)
            stack.append((i1, lim1, i2, lim2, min_hi))
            stack.append((off1, i1, off2, i2, min_lo))


def _indent(line: bytes) -> int:
    ret = 0
    for c in line:
        if c not in _SPACE:
            return ret
        if c == 0x20:
            ret += 1
        elif c == 0x09:
            ret += 8 - ret % 8
        if ret >= _MAX_INDENT:
            return _MAX_INDENT
    return -1


def _split_score(side: _Side, split: int) -> tuple[int, int]:
    """(effective indent, penalty) of splitting above line `split` (git's indent heuristic)."""
    lines = side.lines
    end_of_file = split >= side.nrec
    indent = -1 if end_of_file else _indent(lines[split])
    pre_blank, pre_indent = 0, -1
    for i in range(split - 1, -1, -1):
        pre_indent = _indent(lines[i])
        if pre_indent != -1:
            break
        pre_blank += 1
        if pre_blank == _MAX_BLANKS:
            pre_indent = 0
            break
    post_blank, post_indent = 0, -1
    for i in range(split + 1, side.nrec):
        post_indent = _indent(lines[i])
        if post_indent != -1:
            break
        post_blank += 1
        if post_blank == _MAX_BLANKS:
            post_indent = 0
            break
    penalty = 0
    if pre_indent == -1 and pre_blank == 0:
        penalty += 1
    if end_of_file:
        penalty += 21
    post = 1 + post_blank if indent == -1 else 0
    total_blank = pre_blank + post
    penalty += -30 * total_blank + 6 * post
    eff = indent if indent != -1 else post_indent
    any_blanks = total_blank != 0
    if eff == -1 or pre_indent == -1 or eff == pre_indent:
        pass
    elif eff > pre_indent:
        penalty += 10 if any_blanks else -4
    elif post_indent != -1 and post_indent > eff:
        penalty += 17 if any_blanks else 24
    else:
        penalty += 17 if any_blanks else 23
    return eff, penalty


class _Group:
    """A run [start, end) of changed lines (possibly empty) in one side."""

    __slots__ = ("end", "side", "start")

    def __init__(self, side: _Side) -> None:
        self.side = side
        self.start = self.end = 0
        while side.is_changed(self.end):
            self.end += 1

    def next(self) -> bool:
        if self.end == self.side.nrec:
            return False
        self.start = self.end = self.end + 1
        while self.side.is_changed(self.end):
            self.end += 1
        return True

    def previous(self) -> bool:
        if self.start == 0:
            return False
        self.end = self.start = self.start - 1
        while self.side.is_changed(self.start - 1):
            self.start -= 1
        return True

    def slide_down(self) -> bool:
        s = self.side
        if self.end < s.nrec and s.ids[self.start] == s.ids[self.end]:
            s.mark(self.start, False)
            s.mark(self.end, True)
            self.start += 1
            self.end += 1
            while s.is_changed(self.end):
                self.end += 1
            return True
        return False

    def slide_up(self) -> bool:
        s = self.side
        if self.start > 0 and s.ids[self.start - 1] == s.ids[self.end - 1]:
            self.start -= 1
            self.end -= 1
            s.mark(self.start, True)
            s.mark(self.end, False)
            while s.is_changed(self.start - 1):
                self.start -= 1
            return True
        return False


def _compact(side: _Side, other: _Side, indent_heuristic: bool) -> None:
    g, go = _Group(side), _Group(other)
    while True:
        if g.end != g.start:
            while True:
                groupsize = g.end - g.start
                end_matching_other = -1
                while g.slide_up():
                    go.previous()
                earliest_end = g.end
                if go.end > go.start:
                    end_matching_other = g.end
                while g.slide_down():
                    go.next()
                    if go.end > go.start:
                        end_matching_other = g.end
                if groupsize == g.end - g.start:
                    break
            if g.end == earliest_end:
                pass
            elif end_matching_other != -1:
                while go.end == go.start:
                    g.slide_up()
                    go.previous()
            elif indent_heuristic:
                shift = max(earliest_end, g.end - groupsize - 1, g.end - _MAX_SLIDING)
                best_shift, best = -1, (0, 0)
                for s in range(shift, g.end + 1):
                    e1, p1 = _split_score(side, s)
                    e2, p2 = _split_score(side, s - groupsize)
                    score = (e1 + e2, p1 + p2)
                    cmp = (score[0] > best[0]) - (score[0] < best[0])
                    if best_shift == -1 or 60 * cmp + score[1] - best[1] <= 0:
                        best, best_shift = score, s
                while g.end > best_shift:
                    g.slide_up()
                    go.previous()
        if not g.next():
            break
        go.next()


def diff_lines(a: list[bytes], b: list[bytes], minimal: bool = False,
               indent_heuristic: bool = True,
               key: Callable[[bytes], bytes] | None = None) -> list[Change]:
    """Edit script between two line lists, exactly as git's default diff computes it
    (merges diff without the indent heuristic); `key` says which lines are equal."""
    classes: dict[bytes, int] = {}
    ids1 = [classes.setdefault(line if key is None else key(line), len(classes)) for line in a]
    ids2 = [classes.setdefault(line if key is None else key(line), len(classes)) for line in b]
    x, y = _Side(a, ids1), _Side(b, ids2)
    lim = min(x.nrec, y.nrec)
    start = 0
    while start < lim and ids1[start] == ids2[start]:
        start += 1
    tail = 0
    while tail < lim - start and ids1[x.nrec - 1 - tail] == ids2[y.nrec - 1 - tail]:
        tail += 1
    counts1: dict[int, int] = {}
    for i in ids1:
        counts1[i] = counts1.get(i, 0) + 1
    counts2: dict[int, int] = {}
    for i in ids2:
        counts2[i] = counts2.get(i, 0) + 1
    r1 = _reduce(x, counts2, start, x.nrec - tail - 1)
    r2 = _reduce(y, counts1, start, y.nrec - tail - 1)
    _compare(x, r1, y, r2, minimal)
    _compact(x, y, indent_heuristic)
    _compact(y, x, indent_heuristic)
    changes: list[Change] = []
    i1, i2 = x.nrec, y.nrec
    while i1 >= 0 or i2 >= 0:
        if x.is_changed(i1 - 1) or y.is_changed(i2 - 1):
            l1, l2 = i1, i2
            while x.is_changed(i1 - 1):
                i1 -= 1
            while y.is_changed(i2 - 1):
                i2 -= 1
            changes.append(Change(i1, i2, l1 - i1, l2 - i2))
        i1 -= 1
        i2 -= 1
    changes.reverse()
    return changes


def _funcname(line: bytes) -> bytes | None:
    """git's default funcname rule: a line starting with a letter, `_` or `$`."""
    if line and (line[:1].isalpha() or line[0] in b"_$"):
        return line[:80].rstrip(_SPACE)
    return None


_WS = rb"[ \t\n\v\f\r]"  # git's XDL_ISSPACE
_RUNS, _ALL, _TRAILING = re.compile(_WS + b"+"), re.compile(_WS), re.compile(_WS + b"+$")
WHITESPACE_KEYS: dict[str, Callable[[bytes], bytes]] = {
    "all": lambda line: _ALL.sub(b"", line),
    "change": lambda line: _RUNS.sub(b" ", _TRAILING.sub(b"", line)),
    "eol": lambda line: _TRAILING.sub(b"", line),
}


def _range(start: int, count: int) -> str:
    first = start if count else start - 1
    return str(first) if count == 1 else f"{first},{count}"


def unified_hunks(a: bytes, b: bytes, context: int = 3,
                  whitespace: str | None = None) -> tuple[bytes, int, int]:
    """The hunks of a unified diff of `a` -> `b`, plus counts of added and deleted lines;
    `whitespace` ("all", "change", "eol": -w, -b, --ignore-space-at-eol) ignores some."""
    la, lb = split_lines(a), split_lines(b)
    changes = diff_lines(la, lb, key=None if whitespace is None else WHITESPACE_KEYS[whitespace])
    out: list[bytes] = []
    added = sum(c.chg2 for c in changes)
    deleted = sum(c.chg1 for c in changes)
    k = 0

    def emit(prefix: bytes, line: bytes) -> None:
        out.append(prefix + line)
        if not line.endswith(b"\n"):
            out.append(b"\n" + NO_NEWLINE)

    while k < len(changes):
        last = k
        while (last + 1 < len(changes)
               and changes[last + 1].i1 - (changes[last].i1 + changes[last].chg1) <= 2 * context):
            last += 1
        first, end = changes[k], changes[last]
        s1, s2 = max(first.i1 - context, 0), max(first.i2 - context, 0)
        lctx = min(context, len(la) - (end.i1 + end.chg1), len(lb) - (end.i2 + end.chg2))
        e1, e2 = end.i1 + end.chg1 + lctx, end.i2 + end.chg2 + lctx
        func = next((f for f in map(_funcname, reversed(la[:s1])) if f is not None), b"")
        header = f"@@ -{_range(s1 + 1, e1 - s1)} +{_range(s2 + 1, e2 - s2)} @@".encode()
        out.append(header + (b" " + func if func else b"") + b"\n")
        pos = s2  # like git, context lines come from the new side
        for c in changes[k:last + 1]:
            for i in range(pos, c.i2):
                emit(b" ", lb[i])
            for i in range(c.i1, c.i1 + c.chg1):
                emit(b"-", la[i])
            for i in range(c.i2, c.i2 + c.chg2):
                emit(b"+", lb[i])
            pos = c.i2 + c.chg2
        for i in range(pos, e2):
            emit(b" ", lb[i])
        k = last + 1
    return b"".join(out), added, deleted
