#!/usr/bin/env python3
"""Checks dedup's keep rule on a corpus, independently of the engine.

Runs `BIN dedup CORPUS -o KEPT --removed REMOVED` and, for every removed record, rebuilds the
5-word shingles of it and of its `duplicate_of` in Python (lowercase; tokens are runs of
Unicode alphanumerics, as make_planted.py shingles) and checks the rule: `duplicate_of` is a
kept record, and the pair is an exact copy, near (Jaccard >= 0.8) or the removed record is
contained in it (>= 0.8 of its shingles). Prints the counts; exits 0 whatever they are.

    python3 benches/dedup_rule_check.py target/release/overlap [CORPUS]
"""
import json
import os
import re
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKEN = re.compile(r"[^\W_]+")


def shingles(text):
    words = TOKEN.findall(text.lower())
    if len(words) < 5:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + 5]) for i in range(len(words) - 4)}


def main():
    binary = sys.argv[1]
    corpus = sys.argv[2] if len(sys.argv) > 2 else os.path.join(REPO, "..", "shared", "bench", "corpus.jsonl")
    with tempfile.TemporaryDirectory() as tmp:
        kept_path, removed_path = os.path.join(tmp, "kept.jsonl"), os.path.join(tmp, "removed.jsonl")
        subprocess.run([binary, "dedup", corpus, "-q", "-o", kept_path, "--removed", removed_path], check=True)
        text = {}
        with open(corpus, encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                text[str(d["id"])] = d["text"]
        with open(kept_path, encoding="utf-8") as f:
            kept = {str(json.loads(line)["id"]) for line in f}
        removed = not_kept = broken = 0
        with open(removed_path, encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                removed += 1
                keeper = r["duplicate_of"]
                if keeper not in kept:
                    not_kept += 1
                    continue
                a, b = shingles(text[str(r["id"])]), shingles(text[keeper])
                shared = len(a & b)
                jaccard = shared / len(a | b) if a | b else 1.0
                inside = shared / len(a) if a else 1.0
                kind = r["match"]["kind"]
                ok = (kind == "exact" and a == b) or (kind == "near" and jaccard >= 0.8 - 1e-9) or (
                    kind == "contained" and inside >= 0.8 - 1e-9)
                broken += not ok
    print(f"{binary}: kept {len(kept)}, removed {removed}; duplicate_of not kept: {not_kept}; "
          f"no direct edge at the thresholds to duplicate_of: {broken}")


if __name__ == "__main__":
    main()
