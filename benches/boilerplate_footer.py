#!/usr/bin/env python3
"""Boilerplate benchmark for the copy engine: 50,000 articles that share one 300-word footer.

What it measures (issue 19, item 3)
-----------------------------------
Sites append the same footer to every article (subscription offers, copyright, comment rules,
cookie notices). Its shingles are in every document: a scan that treats them as evidence of
copying pays for buckets of 50,000 documents and calls short articles near-duplicates of each
other because they share the footer. This script writes two corpora next to each other:

  plain   50,000 articles: the 40,423 of ../shared/bench/corpus.jsonl, then the first 9,577
          again with every letter shifted by one (new words, so no new copies; ids "s1-...")
  footer  the same articles, each followed by FOOTER (300 words, below)

and runs, --runs times in alternating order (plain, footer, plain, footer, ...):

    /usr/bin/time -v OVERLAP scan CORPUS --no-stories --format json -q -o OUT [--overlap-args]

It prints each run's wall time and peak RSS, the medians and the ratios footer/plain (per
document: both hold the same articles), and checks that the footer makes no copy: every pair of
articles that share a cluster in the footer run shares one in the plain run. It lists the
pairs the footer alone made, and exits 1 when there are any, or when the footer run takes more
than --max-ratio (default 3.0, issue 19's target) times the plain run's median time or peak
RSS; the figures are a benchmark, never a test assertion.

Usage (from the repository root; standard library only):
    python3 benches/boilerplate_footer.py [--articles 50000] [--runs 3]
        [--overlap target/release/overlap] [--overlap-args ""] [--max-ratio 3.0] [--tmp DIR]
"""
import argparse
import json
import os
import shlex
import sys
import tempfile
from itertools import combinations

# Timed `overlap scan` runs, alternated, under /usr/bin/time -v.
from story_copies import CORPUS, add_run_args, alternate, too_slow, verdict


FOOTER = (
    "Thank you for reading. Our newsroom depends on readers like you, and a subscription "
    "keeps local reporting alive in your community. Subscribers get unlimited access to every "
    "story on our website and apps, the daily digital edition, and newsletters on the topics "
    "they follow. Already a subscriber? Sign in to continue reading, or link your print account "
    "to your digital account at no extra cost. "
    "We welcome your comments. Comments are reviewed before they appear and must follow our "
    "community guidelines: be civil, stay on topic, and do not post personal attacks, spam, "
    "advertising or links to unrelated sites. We may remove any comment and suspend any account "
    "that breaks these rules, without notice. By commenting you grant us a licence to publish "
    "your words in print and online. "
    "Corrections: we strive for accuracy and fairness. If you see something that does not look "
    "right, contact the standards desk and tell us the headline, the date and what you believe "
    "is wrong. We correct errors promptly and note every correction at the end of the story. "
    "Copyright: all content on this site is protected by copyright and may not be reproduced, "
    "distributed, transmitted, cached or otherwise used, except with the prior written "
    "permission of the publisher. Wire stories remain the property of their agencies. "
    "Privacy: this site uses cookies and similar technologies to remember your preferences, "
    "measure traffic and show advertising that may interest you. You can change your choices "
    "at any time in the privacy settings linked at the bottom of every page, and read our "
    "privacy policy to learn what we collect, why we collect it, how long we keep it and how "
    "to ask us to delete it. Questions about your account, delivery or billing? Call our customer "
    "service weekdays from eight in the morning to six."
)


def shift(text, c=1):
    lower = "abcdefghijklmnopqrstuvwxyz"
    upper = lower.upper()
    return text.translate(str.maketrans(lower + upper, lower[c:] + lower[:c]
                                        + upper[c:] + upper[:c]))


def pairs(out):
    with open(out) as f:
        v = json.load(f)
    found = set()
    for c in v["clusters"]:
        found.update(combinations(sorted(m["id"] for m in c["members"]), 2))
    return v, found


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=50_000)
    add_run_args(ap, max_ratio=3.0)
    a = ap.parse_args()
    extra = shlex.split(a.overlap_args)
    assert len(FOOTER.split()) == 300, len(FOOTER.split())

    with open(CORPUS, encoding="utf-8") as f:
        base = [json.loads(line) for line in f]
    articles = [(r["id"], r["text"]) for r in base[:a.articles]]
    for r in base[:max(0, a.articles - len(base))]:
        articles.append((f"s1-{r['id']}", shift(r["text"])))

    with tempfile.TemporaryDirectory() as default_tmp:
        tmp = a.tmp or default_tmp
        os.makedirs(tmp, exist_ok=True)
        corpora = {"plain": os.path.join(tmp, "plain.jsonl"),
                   "footer": os.path.join(tmp, "footer.jsonl")}
        with open(corpora["plain"], "w", encoding="utf-8") as plain, \
                open(corpora["footer"], "w", encoding="utf-8") as footer:
            for id_, text in articles:
                plain.write(json.dumps({"id": id_, "text": text}) + "\n")
                footer.write(json.dumps({"id": id_, "text": f"{text}\n\n{FOOTER}"}) + "\n")
        med, rss, outs = alternate(a.overlap, corpora, tmp, ["--no-stories"] + extra, a.runs)
        plain_v, plain_pairs = pairs(outs["plain"])
        footer_v, footer_pairs = pairs(outs["footer"])
        print("\n| corpus | documents | wall s median | peak RSS MB median | clusters |")
        print("|---|---:|---:|---:|---:|")
        for k, v in (("plain", plain_v), ("footer", footer_v)):
            s = v["summary"]
            print(f"| {k} | {s['documents']:,} | {med[k]:.2f} | {rss[k] / 1024:.1f} | "
                  f"{s['clusters']:,} |")
        wall_ratio = med["footer"] / med["plain"]
        rss_ratio = rss["footer"] / rss["plain"]
        print(f"\nfooter/plain per document: wall {wall_ratio:.2f}x, peak RSS {rss_ratio:.2f}x")
        skipped = footer_v["summary"].get("lsh_buckets", {}).get("pairs_skipped")
        print(f"pairs skipped by the bucket cap with the footer: {skipped:,}"
              if skipped is not None else "")
        made = sorted(footer_pairs - plain_pairs)
        print(f"pairs in one cluster only because of the footer: {len(made):,}")
        for p in made[:5]:
            print(f"  {p[0]}  {p[1]}")
        failures = ["the footer alone made copies" if made else None]
        for what, ratio in (("wall", wall_ratio), ("peak RSS", rss_ratio)):
            failures.append(too_slow("footer/plain", what, ratio, a.max_ratio))
        verdict(failures)

if __name__ == "__main__":
    main()
