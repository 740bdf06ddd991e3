"""Dense combined diff (`diff --cc`) of a result against several parents, as git prints
it for unmerged paths: one +/- column per parent, hunks where the parents disagree."""

from __future__ import annotations

from dataclasses import dataclass, field

from .xdiff import diff_lines, split_lines

CONTEXT = 3


@dataclass
class _Line:
    text: bytes
    added: int = 0  # bit i: line is not in parent i
    lost: list[tuple[bytes, int]] = field(default_factory=list)  # (text, parent mask)
    parent_before: list[int] = field(default_factory=list)  # parent lines before this slot


def _coalesce(lost: list[tuple[bytes, int]], new: list[bytes], bit: int) -> list[tuple[bytes, int]]:
    """Merge another parent's lost lines into the list, sharing common ones (LCS)."""
    n, m = len(lost), len(new)
    lcs = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            lcs[i][j] = (lcs[i + 1][j + 1] + 1 if lost[i][0] == new[j]
                         else max(lcs[i + 1][j], lcs[i][j + 1]))
    out: list[tuple[bytes, int]] = []
    i = j = 0
    pending: list[tuple[bytes, int]] = []
    while i < n or j < m:
        if i < n and j < m and lost[i][0] == new[j]:
            out += pending
            pending = []
            out.append((lost[i][0], lost[i][1] | bit))
            i += 1
            j += 1
        elif i < n and (j >= m or lcs[i + 1][j] >= lcs[i][j + 1]):
            out.append(lost[i])
            i += 1
        else:
            pending.append((new[j], bit))
            j += 1
    return out + pending


def _lines(parents: list[bytes], result: bytes) -> list[_Line]:
    res = split_lines(result)
    sline = [_Line(t) for t in res] + [_Line(b"")]
    for line in sline:
        line.parent_before = [0] * len(parents)
    for p, data in enumerate(parents):
        bit = 1 << p
        old = split_lines(data)
        pos = 0  # parent lines consumed
        k = 0
        for change in diff_lines(old, res):
            while k < change.i2:
                sline[k].parent_before[p] = pos
                pos += 1
                k += 1
            sline[k].parent_before[p] = pos
            lost = old[change.i1:change.i1 + change.chg1]
            if lost:
                sline[k].lost = _coalesce(sline[k].lost, lost, bit)
            pos += change.chg1
            for j in range(change.i2, change.i2 + change.chg2):
                sline[j].added |= bit
                if j > k:
                    sline[j].parent_before[p] = pos
            k = change.i2 + change.chg2
        while k <= len(res):
            sline[k].parent_before[p] = pos
            pos += 1
            k += 1
    return sline


def _hunks(sline: list[_Line], all_mask: int) -> list[tuple[int, int]]:
    """[start, end) result-line ranges to print, dense-filtered and with context."""
    marked = [i for i, line in enumerate(sline) if line.added or line.lost]
    groups: list[list[int]] = []
    for i in marked:
        if groups and i - groups[-1][-1] <= 2 * CONTEXT:
            groups[-1].append(i)
        else:
            groups.append([i])
    keep: list[int] = []
    for group in groups:
        masks = set()
        for i in range(group[0], group[-1] + 1):
            if sline[i].added:
                masks.add(sline[i].added)
            masks.update(mask for _, mask in sline[i].lost)
        if len(masks) > 1 or masks == {all_mask}:
            keep += group
    ranges: list[tuple[int, int]] = []
    last = len(sline) - 1
    for i in keep:
        lo, hi = max(i - CONTEXT, 0), min(i + CONTEXT + 1, last + (1 if i == last else 0))
        if ranges and lo <= ranges[-1][1]:
            ranges[-1] = (ranges[-1][0], max(ranges[-1][1], hi))
        else:
            ranges.append((lo, hi))
    return ranges


def _hunk_comment(sline: list[_Line], lo: int) -> str:
    """git's combined hunk comment: the nearest earlier "function" line of the result, cut
    at its last non-blank character within 40 bytes (which git leaves out)."""
    for k in range(lo - 1, -1, -1):
        text = sline[k].text
        if text[:1].isalpha() or text[:1] in (b"_", b"$"):
            end = 0
            for i, ch in enumerate(text[:40]):
                if ch == 0x0A:
                    break
                if ch not in b" \t\r\v\f":
                    end = i
            return " " + text[:end].decode("utf-8", "surrogateescape") if end else ""
    return ""


def combined_hunks(parents: list[bytes], result: bytes) -> str:
    """The "@@@ ... @@@" hunks of the dense combined diff (empty when nothing to show)."""
    sline = _lines(parents, result)
    n = len(parents)
    out: list[str] = []
    for lo, hi in _hunks(sline, (1 << n) - 1):
        end = min(hi, len(sline) - 1)
        header = "@" * (n + 1)
        ranges = []
        for p in range(n):
            start = sline[lo].parent_before[p]
            if hi < len(sline):
                stop = sline[hi].parent_before[p]
            else:
                stop = sline[-1].parent_before[p] + sum(1 for _, m in sline[-1].lost
                                                        if m & (1 << p))
            ranges.append(f"-{start + 1},{stop - start}")
        ranges.append(f"+{lo + 1},{end - lo}")
        out.append(f"{header} {' '.join(ranges)} {header}{_hunk_comment(sline, lo)}\n")
        for k in range(lo, hi):
            for text, mask in sline[k].lost:
                cols = "".join("-" if mask & (1 << p) else " " for p in range(n))
                out.append(cols + text.decode("utf-8", "surrogateescape"))
            if k < len(sline) - 1:
                cols = "".join("+" if sline[k].added & (1 << p) else " " for p in range(n))
                out.append(cols + sline[k].text.decode("utf-8", "surrogateescape"))
    return "".join(line if line.endswith("\n") else line + "\n" for line in out)
