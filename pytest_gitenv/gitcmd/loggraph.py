"""`log --graph`: git's graph.c state machine (without colours) and --topo-order sorting."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

PADDING, SKIP, PRE_COMMIT, COMMIT, POST_MERGE, COLLAPSING = range(6)
_MERGE_CHARS = "/|\\"


def topo_order(order: Sequence[str], parents_of: Callable[[str], list[str]]) -> list[str]:
    """git's sort_in_topological_order in graph order: children first, parents LIFO."""
    indegree = {sha: 1 for sha in order}
    for sha in order:
        for p in parents_of(sha):
            if indegree.get(p):
                indegree[p] += 1
    stack = [sha for sha in order if indegree[sha] == 1]
    stack.reverse()
    out: list[str] = []
    while stack:
        sha = stack.pop()
        for p in parents_of(sha):
            if indegree.get(p):
                indegree[p] -= 1
                if indegree[p] == 1:
                    stack.append(p)
        indegree[sha] = 0
        out.append(sha)
    return out


class Graph:
    """Produces the graph prefix for each output line, one commit at a time."""

    def __init__(self, parents_of: Callable[[str], list[str]]) -> None:
        self._parents_of = parents_of
        self.node = "*"  # the commit's own mark ("<"/">" with --left-right)
        self.commit: str | None = None
        self.parents: list[str] = []
        self.state = self.prev_state = PADDING
        self.commit_index = self.prev_commit_index = 0
        self.merge_layout = self.edges_added = self.prev_edges_added = 0
        self.expansion_row = 0
        self.width = 0
        self.columns: list[str] = []
        self.new_columns: list[str] = []
        self.mapping: list[int] = []
        self.old_mapping: list[int] = []

    # ------------------------------------------------------------- update
    def update(self, commit: str) -> None:
        self.commit = commit
        self.parents = self._parents_of(commit)
        self.prev_commit_index = self.commit_index
        self._update_columns()
        self.expansion_row = 0
        if self.state != PADDING:
            self.state = SKIP
        elif self._needs_pre_commit_line():
            self.state = PRE_COMMIT
        else:
            self.state = COMMIT

    def _set_state(self, state: int) -> None:
        self.prev_state, self.state = self.state, state

    def _insert(self, commit: str, idx: int) -> None:
        if commit in self.new_columns:
            i = self.new_columns.index(commit)
        else:
            i = len(self.new_columns)
            self.new_columns.append(commit)
        if len(self.parents) > 1 and idx > -1 and self.merge_layout == -1:
            dist = idx - i
            shift = 2 * dist - 3 if dist > 1 else 1
            self.merge_layout = 0 if dist > 0 else 1
            self.edges_added = len(self.parents) + self.merge_layout - 2
            mapping_idx = self.width + (self.merge_layout - 1) * shift
            self.width += 2 * self.merge_layout
        elif self.edges_added > 0 and i == self.mapping[self.width - 2]:
            mapping_idx = self.width - 2
            self.edges_added = -1
        else:
            mapping_idx = self.width
            self.width += 2
        self.mapping[mapping_idx] = i

    def _update_columns(self) -> None:
        self.columns, self.new_columns = self.new_columns, []
        size = 2 * (len(self.columns) + len(self.parents))
        self.mapping = [-1] * max(size, 2)
        self.width = 0
        self.prev_edges_added = self.edges_added
        self.edges_added = 0
        for i, col in self._commit_columns():
            if col == self.commit:
                self.commit_index = i
                self.merge_layout = -1
                for parent in self.parents:
                    self._insert(parent, i)
                if not self.parents:
                    self.width += 2
            else:
                assert col is not None
                self._insert(col, -1)
        while len(self.mapping) > 1 and self.mapping[-1] < 0:
            self.mapping.pop()

    def _commit_columns(self) -> Iterator[tuple[int, str | None]]:
        """The columns, then the commit itself when no column holds it (git's graph walk)."""
        yield from enumerate(self.columns)
        if self.commit not in self.columns:
            yield len(self.columns), self.commit

    def _dashed_parents(self) -> int:
        return len(self.parents) + self.merge_layout - 3

    def _needs_pre_commit_line(self) -> bool:
        return (len(self.parents) >= 3 and self.commit_index < len(self.columns) - 1
                and self.expansion_row < self._dashed_parents() * 2)

    def _mapping_correct(self) -> bool:
        return all(t < 0 or t == i // 2 for i, t in enumerate(self.mapping))

    # ------------------------------------------------------------- lines
    def _pad(self, line: str) -> str:
        return line + " " * (self.width - len(line)) if len(line) < self.width else line

    def _padding_row(self) -> str:
        return "".join("| " for _ in self.new_columns)

    def _pre_commit_row(self) -> str:
        out = []
        seen = False
        for i, col in enumerate(self.columns):
            if col == self.commit:
                seen = True
                out.append("|" + " " * self.expansion_row)
            elif seen and self.expansion_row == 0:
                out.append("\\" if (self.prev_state == POST_MERGE
                                    and self.prev_commit_index < i) else "|")
            elif seen:
                out.append("\\")
            else:
                out.append("|")
            out.append(" ")
        self.expansion_row += 1
        if not self._needs_pre_commit_line():
            self._set_state(COMMIT)
        return "".join(out)

    def _commit_row(self) -> str:
        out = []
        seen = False
        for i, col in self._commit_columns():
            if col == self.commit:
                seen = True
                out.append(self.node)
                dashed = self._dashed_parents() if len(self.parents) > 2 else 0
                if dashed > 0:  # git's octopus dashes; none when the first parent merges left
                    out.append("-" * (2 * dashed - 1) + ".")
            elif seen and self.edges_added > 1:
                out.append("\\")
            elif seen and self.edges_added == 1:
                out.append("\\" if (self.prev_state == POST_MERGE and self.prev_edges_added > 0
                                    and self.prev_commit_index < i) else "|")
            elif (self.prev_state == COLLAPSING and 2 * i + 1 < len(self.old_mapping)
                  and self.old_mapping[2 * i + 1] == i and self.mapping[2 * i] < i):
                out.append("/")
            else:
                out.append("|")
            out.append(" ")
        if len(self.parents) > 1:
            self._set_state(POST_MERGE)
        elif self._mapping_correct():
            self._set_state(PADDING)
        else:
            self._set_state(COLLAPSING)
        return "".join(out)

    def _post_merge_row(self) -> str:
        out = []
        seen = False
        first_parent = self.parents[0]
        parent_col_seen = False
        for i, col in self._commit_columns():
            if col == self.commit:
                seen = True
                idx = self.merge_layout
                for j in range(len(self.parents)):
                    out.append(_MERGE_CHARS[idx])
                    if idx == 2:
                        if self.edges_added > 0 or j < len(self.parents) - 1:
                            out.append(" ")
                    else:
                        idx += 1
                if self.edges_added == 0:
                    out.append(" ")
            elif seen:
                out.append("\\ " if self.edges_added > 0 else "| ")
            else:
                out.append("|")
                if self.merge_layout != 0 or i != self.commit_index - 1:
                    out.append("_" if parent_col_seen else " ")
            if col == first_parent:
                parent_col_seen = True
        self._set_state(PADDING if self._mapping_correct() else COLLAPSING)
        return "".join(out)

    def _collapsing_row(self) -> str:
        size = len(self.mapping)
        self.old_mapping = self.mapping
        self.mapping = [-1] * size
        horizontal_edge = horizontal_target = -1
        for i in range(size):
            target = self.old_mapping[i]
            if target < 0:
                continue
            if target * 2 == i:
                self.mapping[i] = target
            elif self.mapping[i - 1] < 0:
                self.mapping[i - 1] = target
                if horizontal_edge == -1:
                    horizontal_edge, horizontal_target = i, target
                    for j in range(target * 2 + 3, i - 2, 2):
                        self.mapping[j] = target
            elif self.mapping[i - 1] == target:
                pass
            else:
                self.mapping[i - 2] = target
                if horizontal_edge == -1:
                    horizontal_target, horizontal_edge = target, i - 1
                    for j in range(target * 2 + 3, i - 2, 2):
                        self.mapping[j] = target
        self.old_mapping = list(self.mapping)
        if self.mapping[-1] < 0:
            self.mapping.pop()
        out = []
        used_horizontal = False
        for i in range(len(self.mapping)):
            target = self.mapping[i]
            if target < 0:
                out.append(" ")
            elif target * 2 == i:
                out.append("|")
            elif target == horizontal_target and i != horizontal_edge - 1:
                if i != target * 2 + 3:
                    self.mapping[i] = -1
                used_horizontal = True
                out.append("_")
            else:
                if used_horizontal and i < horizontal_edge:
                    self.mapping[i] = -1
                out.append("/")
        if self._mapping_correct():
            self._set_state(PADDING)
        return "".join(out)

    def next_line(self) -> tuple[str, bool]:
        """The next graph line and whether it is the commit's own line."""
        shown = False
        if self.state == PADDING:
            line = self._padding_row()
        elif self.state == SKIP:
            line = "..."
            self._set_state(PRE_COMMIT if self._needs_pre_commit_line() else COMMIT)
        elif self.state == PRE_COMMIT:
            line = self._pre_commit_row()
        elif self.state == COMMIT:
            line, shown = self._commit_row(), True
        elif self.state == POST_MERGE:
            line = self._post_merge_row()
        else:
            line = self._collapsing_row()
        return self._pad(line), shown

    def padding_line(self) -> str:
        if self.state != COMMIT:
            return self.next_line()[0]
        out = []
        for col in self.columns:
            out.append("|")
            out.append(" " * ((len(self.parents) - 2) * 2) if col == self.commit
                       and len(self.parents) > 2 else " ")
        self.prev_state = PADDING
        return self._pad("".join(out))

    @property
    def finished(self) -> bool:
        return self.state == PADDING

    # ------------------------------------------------------------- output helpers
    def show_commit(self) -> str:
        """Lines up to and including the commit's own line prefix (no newline after it)."""
        if self.finished:
            return self.padding_line()
        out = []
        while True:
            line, shown = self.next_line()
            out.append(line)
            if shown or self.finished:
                break
            out.append("\n")
        return "".join(out)

    def show_text(self, text: str) -> str:
        """`text` with the graph before every line but the first (graph_show_commit_msg)."""
        out = []
        lines = text.split("\n")
        for n, line in enumerate(lines):
            out.append(line)
            if n + 1 < len(lines):
                out.append("\n")
                if n + 1 < len(lines) - 1 or lines[-1]:
                    out.append(self.next_line()[0])
        if not self.finished:
            if not text.endswith("\n"):
                out.append("\n")
            rest = []
            while True:
                rest.append(self.next_line()[0])
                if self.finished:
                    break
            out.append("\n".join(rest))
            if text.endswith("\n"):
                out.append("\n")
        return "".join(out)

    def prefix_lines(self, text: str) -> str:
        """Diff output under a commit: every line (or NUL-ended name, with -z) prefixed with a
        padding line."""
        return "".join(self.padding_line() + line for line in re.findall(r"[^\n\0]*[\n\0]", text))
