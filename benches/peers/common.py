"""What every peer driver shares: the bench's tokenization and shingles, union-find, and the
two outputs (`docs= clusters= duplicates=` on stdout, `--clusters-out` lines of ids).

Imported by the drivers in this folder (Python puts a script's folder on `sys.path`).
Standard library only.
"""
import argparse
import json
import re
import shutil
import sys

TOKEN_RE = re.compile(r"[^\W_]+")
K = 5
# ASCII fast path of the same tokenization: lowercase A-Z, every byte that is not an ASCII
# letter or digit becomes a space (for ASCII text, [^\W_] is exactly [a-z0-9] after lower()).
ASCII_MAP = bytes(
    (c + 32 if 65 <= c <= 90 else c) if chr(c).isalnum() and c < 128 else 32 for c in range(256)
)


def bench_tokens_bytes(text):
    """The bench's tokens of `text` (lowercase runs of Unicode alphanumerics), as UTF-8 bytes."""
    if text.isascii():
        return text.encode("ascii").translate(ASCII_MAP).split()
    return [t.encode("utf-8") for t in TOKEN_RE.findall(text.lower())]


def bench_tokens(text):
    """The bench's tokens of `text`, as a list of str."""
    if text.isascii():
        return text.encode("ascii").translate(ASCII_MAP).decode("ascii").split()
    return TOKEN_RE.findall(text.lower())


def shingle_list(toks):
    """The bench's 5-word shingles of a token list (str or bytes tokens), joined by a space;
    a document of 1..4 tokens is one shingle."""
    sep = " " if not toks or isinstance(toks[0], str) else b" "
    if len(toks) >= K:
        return [sep.join(toks[i:i + K]) for i in range(len(toks) - K + 1)]
    return [sep.join(toks)]


def read_documents(path, ids):
    """`(index, text)` of each non-blank JSONL line of `path`, appending its id (by default its
    index) to `ids`."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            i = len(ids)
            ids.append(d.get("id", str(i)))
            yield i, d.get("text") or ""


def find(parent, x):
    """Union-find root of `x`, halving the path as it goes."""
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def union(parent, a, b):
    """Joins the sets of `a` and `b`; the root of `a`'s set stays the root."""
    ra, rb = find(parent, a), find(parent, b)
    if ra != rb:
        parent[rb] = ra


def components(parent):
    """The union-find's components of two or more members, each a sorted list, by first member."""
    groups = {}
    for i in range(len(parent)):
        groups.setdefault(find(parent, i), []).append(i)
    return sorted((m for m in groups.values() if len(m) >= 2), key=lambda m: m[0])


def peer_arguments(description, threshold_help=None):
    """The parser every driver starts from: the corpus, --clusters-out, --threshold, --num-perm."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("corpus", help="JSONL file, one {\"id\", \"text\"} object a line")
    ap.add_argument("--clusters-out", metavar="FILE",
                    help="write one JSON list of document ids per line per cluster of size >= 2")
    ap.add_argument("--threshold", type=float, default=0.8, help=threshold_help)
    ap.add_argument("--num-perm", type=int, default=128)
    return ap


def report(docs, clusters, clusters_out, name):
    """The summary line, and the clusters file when --clusters-out asked for one."""
    print_summary(docs, clusters)
    if clusters_out:
        write_clusters(clusters_out, clusters, name)


def print_summary(docs, clusters):
    """The line every driver prints: documents, clusters, and the documents a dedup drops."""
    print(f"docs={docs} clusters={len(clusters)} duplicates={sum(len(m) - 1 for m in clusters)}")


def write_clusters(path, clusters, name):
    """One JSON list of ids per line per cluster; `name(member)` gives a member's id."""
    with open(path, "w", encoding="utf-8") as f:
        for members in sorted(clusters, key=lambda m: m[0]):
            f.write(json.dumps([name(i) for i in members], ensure_ascii=False) + "\n")


def remove_work(work, keep):
    """Deletes a driver's scratch folder, or says where it is when `--keep-tmp` asked to keep it."""
    if keep:
        print(f"# kept {work}", file=sys.stderr)
    else:
        shutil.rmtree(work, ignore_errors=True)
