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
    """Merge another parent's lost lines into the list (git's coalesce_lines: an LCS walked
    back from the end, shared lines gaining the parent's bit)."""
    n, m = len(lost), len(new)
    lcs = [[0] * (m + 1) for _ in range(n + 1)]
    match = [[False] * (m + 1) for _ in range(n + 1)]
    take_new = [[True] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        take_new[i][0] = False
        for j in range(1, m + 1):
            if lost[i - 1][0] == new[j - 1]:
                lcs[i][j], match[i][j] = lcs[i - 1][j - 1] + 1, True
            elif lcs[i][j - 1] >= lcs[i - 1][j]:
                lcs[i][j] = lcs[i][j - 1]
            else:
                lcs[i][j], take_new[i][j] = lcs[i - 1][j], False
    out: list[tuple[bytes, int]] = []
    i, j = n, m
    while i or j:
        if i and j and match[i][j]:
            out.append((lost[i - 1][0], lost[i - 1][1] | bit))
            i, j = i - 1, j - 1
        elif j and take_new[i][j]:
            out.append((new[j - 1], bit))
            j -= 1
        else:
            out.append(lost[i - 1])
            i -= 1
    out.reverse()
    return out


def _lines(parents: list[bytes], result: bytes) -> list[_Line]:
    """Result lines (plus an end sentinel) with per-parent added bits, lost lines and the
    count of each parent's lines before every position (git's p_lno, zero-based)."""
    res = split_lines(result)
    sline = [_Line(t) for t in res] + [_Line(b"")]
    for p, data in enumerate(parents):
        bit = 1 << p
        old = split_lines(data)
        for change in diff_lines(old, res):
            lost = old[change.i1:change.i1 + change.chg1]
            if lost:
                slot = sline[change.i2]
                slot.lost = _coalesce(slot.lost, lost, bit)
            for j in range(change.i2, change.i2 + change.chg2):
                sline[j].added |= bit
    cnt = len(res)
    for line in sline:
        line.parent_before = [0] * len(parents)
    for p in range(len(parents)):
        bit, count = 1 << p, 0
        for lno, line in enumerate(sline):
            line.parent_before[p] = count
            count += sum(1 for _, mask in line.lost if mask & bit)
            if lno < cnt and not line.added & bit:
                count += 1
    return sline


def _find(marked: list[bool], start: int, cnt: int, want: bool) -> int:
    i = start
    while i <= cnt and marked[i] != want:
        i += 1
    return i


def _tail(sline: list[_Line], begin: int, i: int) -> int:
    """adjust_hunk_tail: a last line interesting only for its deletions gives no context."""
    return i - 1 if begin + 1 <= i and not sline[i - 1].added else i


def _mark(sline: list[_Line], all_mask: int) -> tuple[list[bool], list[bool]]:
    """git's make_hunks (dense) + give_context: lines to show, and pre-context lines whose
    deletions are not shown."""
    cnt = len(sline) - 1
    marked = [bool(line.added or line.lost) for line in sline]
    i = 0
    while i <= cnt:
        i = _find(marked, i, cnt, True)
        if i > cnt:
            break
        begin, j = i, i + 1
        while j <= cnt:
            if not marked[j]:
                look = min(_tail(sline, begin, j) + CONTEXT, cnt + 1)
                while look and j <= look - 1:
                    look -= 1
                    if marked[look]:
                        break
                else:
                    break
                if not marked[look]:
                    break
                j = look
            j += 1
        end = min(j, cnt + 1)
        masks = set()
        for k in range(begin, end):
            if sline[k].added:
                masks.add(sline[k].added)
            masks.update(mask for _, mask in sline[k].lost)
        if len(masks) == 1 and masks != {all_mask}:
            for k in range(begin, end):
                marked[k] = False
        i = end
    no_pre_delete = [False] * (cnt + 1)
    i = _find(marked, 0, cnt, True)
    while i <= cnt:
        for j in range(max(i - CONTEXT, 0), i):
            if not marked[j]:
                no_pre_delete[j] = True
            marked[j] = True
        while True:
            j = _find(marked, i, cnt, False)
            if j > cnt:
                return marked, no_pre_delete
            k = _find(marked, j, cnt, True)
            j = _tail(sline, i, j)
            if k < j + CONTEXT:
                for m in range(j, k):
                    marked[m] = True
                i = k
                continue
            break
        i = k
        for m in range(j, min(j + CONTEXT, cnt + 1)):
            marked[m] = True
    return marked, no_pre_delete


def _hunk_comment(sline: list[_Line], lo: int, floor: int) -> str:
    """git's combined hunk comment: the nearest "function" line of the result above the hunk
    (not inside the previous one), cut at its last non-blank byte within 40, which git
    leaves out."""
    for k in range(lo - 1, floor - 1, -1):
        text = sline[k].text
        if text[:1].isalpha() or text[:1] in (b"_", b"$"):
            end = 0
            for i, ch in enumerate(text[:40]):
                if ch == 0x0A:
                    break
                if ch not in b" \t\r\v\f":
                    end = i
            return " " + text[:end].decode("utf-8", "replace") if end else ""
    return ""


def combined_hunks(parents: list[bytes], result: bytes) -> str:
    """The "@@@ ... @@@" hunks of the dense combined diff (empty when nothing to show)."""
    sline = _lines(parents, result)
    n, cnt = len(parents), len(sline) - 1
    marked, no_pre_delete = _mark(sline, (1 << n) - 1)
    trailer = [sline[cnt].parent_before[p] + sum(1 for _, m in sline[cnt].lost if m & (1 << p))
               for p in range(n)]  # git's p_lno "trailer" entry
    out: list[str] = []
    lno = previous_end = 0
    while lno <= cnt:
        if not marked[lno]:
            lno += 1
            continue
        end = lno
        while end <= cnt and marked[end]:
            end += 1
        rlines = end - lno - (1 if end > cnt else 0)
        ranges = []
        for p in range(n):
            start = sline[lno].parent_before[p]
            stop = sline[end].parent_before[p] if end <= cnt else trailer[p]
            ranges.append(f"-{start + 1},{stop - start}")
        ranges.append(f"+{lno + 1},{rlines}")
        marker = "@" * (n + 1)
        comment = _hunk_comment(sline, lno, previous_end)
        out.append(f"{marker} {' '.join(ranges)} {marker}{comment}\n")
        for k in range(lno, end):
            if not no_pre_delete[k]:
                for text, mask in sline[k].lost:
                    cols = "".join("-" if mask & (1 << p) else " " for p in range(n))
                    out.append(cols + text.decode("utf-8", "replace"))
            if k < cnt:
                cols = "".join("+" if sline[k].added & (1 << p) else " " for p in range(n))
                out.append(cols + sline[k].text.decode("utf-8", "replace"))
        lno = previous_end = end
    return "".join(line if line.endswith("\n") else line + "\n" for line in out)
