#!/usr/bin/env python3
"""Copies as syndicated news really makes them, and how many of them `overlap` finds.

Dev data for issue 19 (NEWS-COPY, Silcock et al. 2023: true copies of one wire story share
about 30% of their 3-grams). From ECB+ articles (../shared/evaldata/ecbplus, read at run
time, never copied into the repository) it builds a corpus of five kinds of copies, each kept
among the other articles of its topic (reports of the same kind of event, often of the same
event: same-topic distractors that share facts but are no copies):

- truncated: the first 45-85% of the sentences;
- embedded:  the whole story inside a Reuters article (from ../shared/bench, not itself in the
             corpus), at a paragraph break;
- ocr:       1-3% of the letters turned into OCR confusions (rn/m, l/1, e/c, o/0, u/n ...),
             lines wrapped at 60-72 columns with hyphenated breaks;
- wire:      a dateline, a byline and one of several agency tails added, 2-4% of the words
             replaced;
- mixed:     truncated + wire + 0.5-1% OCR.

Topics 1-35 are the dev split, 36-45 the test split (as in benches/story_quality.py); a
held-out set should come from other articles. Every run with the same --seed writes the same
corpus.

It then runs `overlap scan --no-stories` (plus any flags after `--`) and scores the copy
clusters: recall per kind (a copy found in the cluster of its source), and pair precision and
F1 over every pair that involves a generated copy (pairs of two original ECB+ articles are left
out: the set has a few real near-duplicates of its own).

    python3 benches/noisy_copies.py [--split dev|test|all] [--sources N] [--seed S]
                                    [--bin target/release/overlap] [--out DIR] [-- FLAGS]
"""

import argparse
import json
import os
import random
import re
import subprocess
import sys
from collections import defaultdict
from itertools import combinations

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
ECB = os.path.join(REPO, "..", "shared", "evaldata", "ecbplus", "docs.jsonl")
# Hosts for embedded copies: Reuters articles, which are not in the corpus themselves (a host
# that is would be a copy of its own inside the embedding).
HOSTS = os.path.join(REPO, "..", "shared", "bench", "corpus.jsonl")

KINDS = ["truncated", "embedded", "ocr", "wire", "mixed"]

# Confusions a scanner makes: (what was printed, what it read).
OCR_CONFUSIONS = [
    ("m", "rn"), ("rn", "m"), ("l", "1"), ("1", "l"), ("e", "c"), ("c", "e"), ("o", "0"),
    ("0", "o"), ("u", "n"), ("n", "u"), ("i", "l"), ("h", "b"), ("d", "cl"), ("cl", "d"),
    ("a", "o"), ("t", "f"), ("f", "t"), ("s", "5"), ("I", "l"), ("O", "0"), ("B", "8"),
    ("g", "q"), ("v", "y"), ("w", "vv"),
]
CITIES = ["LONDON", "NEW YORK", "WASHINGTON", "PARIS", "SYDNEY", "CHICAGO", "LOS ANGELES",
          "TORONTO", "NAIROBI", "SINGAPORE"]
AGENCIES = ["Reuters", "AP", "AFP", "Bloomberg"]
MONTHS = ["Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct",
          "Nov", "Dec"]
NAMES = ["Jane Porter", "David Okafor", "Maria Lindqvist", "Tom Reyes", "Aiko Tanaka",
         "Sam Whitfield", "Priya Natarajan", "Luis Moreno"]
TAILS = [
    "(Reporting by {a}; Editing by {b})",
    "Copyright {y} The Associated Press. All rights reserved. This material may not be "
    "published, broadcast, rewritten or redistributed.",
    "(c) {y} Agence France-Presse. All rights reserved.",
    "Additional reporting by {a} in {c}; writing by {b}; editing by the {c} desk.",
    "To contact the reporter on this story: {a} in {c}. To contact the editor responsible "
    "for this story: {b}.",
]


def sentences(text):
    parts = re.split(r"(?<=[.!?])\s+", text.strip())
    return [p for p in parts if p]


def truncate(rng, text):
    s = sentences(text)
    keep = max(1, round(len(s) * rng.uniform(0.45, 0.85)))
    return " ".join(s[:keep])


def embed(rng, text, host):
    paragraphs = [p for p in host.split("\n") if p.strip()]
    at = rng.randint(1, max(1, len(paragraphs)))
    return "\n".join(paragraphs[:at] + [text] + paragraphs[at:])


def ocr(rng, text, rate):
    letters = sum(ch.isalnum() for ch in text)
    # Each confusion touches about one letter: confuse letters at random positions until the
    # rate is reached (a position with no confusable letter is passed over).
    out = list(text)
    wanted, done = round(letters * rate), 0
    for _ in range(50 * wanted):
        if done == wanted:
            break
        at = rng.randrange(len(out))
        for printed, read in rng.sample(OCR_CONFUSIONS, len(OCR_CONFUSIONS)):
            if "".join(out[at:at + len(printed)]) == printed:
                out[at:at + len(printed)] = list(read)
                done += 1
                break
    return wrap(rng, "".join(out))


def wrap(rng, text):
    """Lines of 60-72 columns; a word that crosses the margin is broken with a hyphen."""
    width = rng.randint(60, 72)
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            if len(line) + 1 + len(word) <= width:
                line = f"{line} {word}" if line else word
                continue
            room = width - len(line) - 2
            if room >= 3 and len(word) >= 6 and word.isalpha():
                cut = min(room, len(word) - 3)
                lines.append(f"{line} {word[:cut]}-" if line else f"{word[:cut]}-")
                line = word[cut:]
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return "\n".join(lines)


def wire(rng, text, vocabulary):
    words = text.split(" ")
    for _ in range(round(len(words) * rng.uniform(0.02, 0.04))):
        at = rng.randrange(len(words))
        words[at] = rng.choice(vocabulary)
    city = rng.choice(CITIES)
    dateline = f"{city}, {rng.choice(MONTHS)} {rng.randint(1, 28)} ({rng.choice(AGENCIES)}) - "
    byline = f"By {rng.choice(NAMES)}"
    a, b = rng.sample(NAMES, 2)
    tail = rng.choice(TAILS).format(a=a, b=b, c=city.title(), y=rng.randint(2008, 2024))
    return f"{byline}\n{dateline}{' '.join(words)}\n{tail}"


def make_copy(rng, kind, text, host, vocabulary):
    if kind == "truncated":
        return truncate(rng, text)
    if kind == "embedded":
        return embed(rng, text, host)
    if kind == "ocr":
        return ocr(rng, text, rng.uniform(0.01, 0.03))
    if kind == "wire":
        return wire(rng, text, vocabulary)
    return ocr(rng, wire(rng, truncate(rng, text), vocabulary), rng.uniform(0.005, 0.01))


def load_hosts(limit=3000):
    hosts = []
    with open(HOSTS, encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            if record["id"].startswith("reuters-") and record["text"].count("\n") >= 8:
                hosts.append(record["text"])
                if len(hosts) == limit:
                    break
    return hosts


def build(docs, hosts, split, per_topic, seed):
    rng = random.Random(seed)
    wanted = {"dev": range(1, 36), "test": range(36, 46), "all": range(1, 46)}[split]
    chosen = [d for d in docs if d["topic"] in wanted]
    vocabulary = sorted({w for d in chosen for w in d["text"].split() if w.isalpha()})
    by_topic = defaultdict(list)
    for d in chosen:
        by_topic[d["topic"]].append(d)
    out = [{"id": d["id"], "text": d["text"], "group": d["id"], "kind": "original"}
           for d in chosen]
    for topic in sorted(by_topic):
        articles = sorted(by_topic[topic], key=lambda d: d["id"])
        # Long enough to be worth copying: a copy of a two-line article is a headline.
        candidates = [d for d in articles if len(sentences(d["text"])) >= 5]
        for source in rng.sample(candidates, min(per_topic, len(candidates))):
            for kind in KINDS:
                host = rng.choice(hosts)
                text = make_copy(rng, kind, source["text"], host, vocabulary)
                out.append({"id": f"{source['id']}~{kind}", "text": text,
                            "group": source["id"], "kind": kind})
    return out


def clusters_of(path):
    found = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            event = json.loads(line)
            if event.get("type") == "cluster":
                found.append([m["id"] for m in event["data"]["members"]])
    return found


def score(corpus, clusters, own):
    """`own`: clusters of the original articles alone (the set's own near-duplicates), whose
    members count as one source."""
    same = {m: c[0] for c in own for m in c}
    for d in corpus:
        d["group"] = same.get(d["group"], d["group"])
    group = {d["id"]: d["group"] for d in corpus}
    kind = {d["id"]: d["kind"] for d in corpus}
    cluster_of = {m: i for i, c in enumerate(clusters) for m in c}
    truth = defaultdict(list)
    for d in corpus:
        truth[d["group"]].append(d["id"])
    counts = {k: [0, 0] for k in KINDS}
    for d in corpus:
        if d["kind"] in counts:
            counts[d["kind"]][1] += 1
            found = cluster_of.get(d["id"])
            sources = [m for m in truth[d["group"]] if kind[m] == "original"]
            counts[d["kind"]][0] += found is not None and any(
                found == cluster_of.get(m) for m in sources)
    # Pairs with at least one generated copy: predicted within clusters, true within groups.
    def copy_pair(a, b):
        return kind[a] != "original" or kind[b] != "original"
    predicted = {tuple(sorted(p)) for c in clusters for p in combinations(c, 2) if copy_pair(*p)}
    true = {tuple(sorted(p)) for ids in truth.values() for p in combinations(ids, 2)}
    hits = len(predicted & true)
    precision = hits / len(predicted) if predicted else 1.0
    recall = hits / len(true) if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return counts, precision, recall, f1, len(predicted) - hits


def main():
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        at = argv.index("--")
        argv, extra = argv[:at], argv[at + 1:]
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=["dev", "test", "all"], default="dev")
    ap.add_argument("--sources", type=int, default=3, help="sources copied per topic")
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--bin", default=os.path.join(REPO, "target", "release", "overlap"))
    ap.add_argument("--out", default="/tmp/noisy-copies")
    args = ap.parse_args(argv)

    with open(ECB, encoding="utf-8") as f:
        docs = [json.loads(line) for line in f]
    corpus = build(docs, load_hosts(), args.split, args.sources, args.seed)
    os.makedirs(args.out, exist_ok=True)
    name = os.path.join(args.out, f"{args.split}-{args.seed}")

    def scan(records, suffix):
        path = f"{name}{suffix}.jsonl"
        with open(path, "w", encoding="utf-8") as f:
            for d in records:
                f.write(json.dumps(d) + "\n")
        result = f"{name}{suffix}.scan.jsonl"
        cmd = [args.bin, "scan", path, "--no-stories", "-f", "jsonl", "-o", result, "-q"]
        subprocess.run(cmd + extra, check=True)
        return path, cmd + extra, clusters_of(result)

    _, _, own = scan([d for d in corpus if d["kind"] == "original"], "-originals")
    path, cmd, clusters = scan(corpus, "")
    counts, precision, recall, f1, wrong = score(corpus, clusters, own)

    copies = sum(n for _, n in counts.values())
    print(f"{args.split} split, seed {args.seed}: {len(corpus)} documents, {copies} copies; "
          f"{path}")
    print(f"$ {' '.join(cmd)}")
    print("kind        found / copies   recall")
    for k in KINDS:
        got, n = counts[k]
        print(f"{k:<11} {got:>5} / {n:<6}   {got / n if n else 0:.3f}")
    print(f"pairs with a copy: precision {precision:.3f} ({wrong} wrong), recall {recall:.3f}, "
          f"F1 {f1:.3f}")


if __name__ == "__main__":
    main()
