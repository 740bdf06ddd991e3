"""Inexact rename detection with git's similarity estimate (diffcore-delta + diffcore-rename).

Content is cut into spans (up to 64 bytes, ending at newlines), each hashed like git's
hash_chars(); similarity is the bytes of the source found again in the destination over
the larger size. Pairs scoring at least 50% are renames, best scores first.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable

from . import deadline

MAX_SCORE = 60_000
MIN_SCORE = 30_000  # git's default -M50%
RENAME_LIMIT = 1000  # git's diff.renameLimit: larger matrices skip inexact detection
_HASHBASE = 107_927
_MASK = 0xFFFFFFFF


def span_hashes(data: bytes, is_text: bool) -> Counter[int]:
    """git's hash_chars(): byte counts per span hash."""
    counts: Counter[int] = Counter()
    accum1 = accum2 = n = 0
    size = len(data)
    for i, c in enumerate(data):
        if is_text and c == 0x0D and i + 1 < size and data[i + 1] == 0x0A:
            continue
        old1 = accum1
        accum1 = ((accum1 << 7) ^ (accum2 >> 25)) & _MASK
        accum2 = ((accum2 << 7) ^ (old1 >> 25)) & _MASK
        accum1 = (accum1 + c) & _MASK
        n += 1
        if n < 64 and c != 0x0A:
            continue
        counts[((accum1 + accum2 * 0x61) & _MASK) % _HASHBASE] += n
        n = accum1 = accum2 = 0
    return counts


def _is_binary(data: bytes) -> bool:
    return b"\0" in data[:8000]


def similarity(src: bytes, dst: bytes, cache: dict[bytes, Counter[int]] | None = None) -> int:
    """git's estimate_similarity() score (0..MAX_SCORE) for regular files."""
    max_size, base_size = max(len(src), len(dst)), min(len(src), len(dst))
    if max_size * (MAX_SCORE - MIN_SCORE) < (max_size - base_size) * MAX_SCORE or not dst:
        return 0
    cache = {} if cache is None else cache

    def counts(data: bytes) -> Counter[int]:
        key = hashlib.sha1(data).digest()
        if key not in cache:
            deadline.check()
            cache[key] = span_hashes(data, not _is_binary(data))
        return cache[key]

    src_counts, dst_counts = counts(src), counts(dst)
    copied = sum(min(count, dst_counts.get(h, 0)) for h, count in src_counts.items())
    return copied * MAX_SCORE // max_size


def _basename(path: bytes) -> bytes:
    return path.rsplit(b"/", 1)[-1]


def find_renames(deleted: dict[bytes, tuple[int, bytes]], added: dict[bytes, tuple[int, bytes]],
                 read: Callable[[bytes], bytes]) -> list[tuple[bytes, bytes, int]]:
    """(source, destination, score) pairs like git's diffcore-rename: exact matches, then
    unique-basename matches, then the best remaining scores (same basename wins ties)."""
    pairs: list[tuple[bytes, bytes, int]] = []
    free_src = dict(deleted)
    free_dst = dict(added)
    by_sha: dict[bytes, list[bytes]] = {}
    for path in sorted(free_src):
        by_sha.setdefault(free_src[path][1], []).append(path)
    for dst in sorted(free_dst):
        sources = by_sha.get(free_dst[dst][1])
        if sources:
            src = sources.pop(0)
            pairs.append((src, dst, MAX_SCORE))
            del free_src[src], free_dst[dst]
    free_src = {p: v for p, v in free_src.items() if v[0] & 0o170000 == 0o100000}
    free_dst = {p: v for p, v in free_dst.items() if v[0] & 0o170000 == 0o100000}
    if not free_src or not free_dst or len(free_src) * len(free_dst) > RENAME_LIMIT ** 2:
        return pairs
    cache: dict[bytes, Counter[int]] = {}
    src_names = Counter(_basename(p) for p in free_src)
    dst_names = Counter(_basename(p) for p in free_dst)
    for dst in sorted(free_dst):
        name = _basename(dst)
        if src_names[name] != 1 or dst_names[name] != 1:
            continue
        src = next(p for p in free_src if _basename(p) == name)
        score = similarity(read(free_src[src][1]), read(free_dst[dst][1]), cache)
        if score >= MIN_SCORE:
            pairs.append((src, dst, score))
            del free_src[src], free_dst[dst]
    candidates = []
    for dst, (_mode, dst_sha) in free_dst.items():
        dst_data = read(dst_sha)
        for src, (_src_mode, src_sha) in free_src.items():
            score = similarity(read(src_sha), dst_data, cache)
            if score >= MIN_SCORE:
                same_name = _basename(src) == _basename(dst)
                candidates.append((-score, not same_name, dst, src))
    used: set[bytes] = set()
    for neg_score, _name_rank, dst, src in sorted(candidates):
        if dst in used or src in used:
            continue
        used.update((src, dst))
        pairs.append((src, dst, -neg_score))
    return pairs


def percent(score: int) -> int:
    """The similarity index git prints, e.g. "(87%)"."""
    return score * 100 // MAX_SCORE
