"""Type stubs of the Rust half (``python/src``). Columns cross as little-endian ``bytes``; the
public, Arrow-typed API is in ``overlap.arrow`` and ``overlap``."""

from typing import Dict, List, Optional, Tuple

DEFAULT_SEED: int
VERSION: str

class Params:
    def __init__(
        self,
        *,
        shingle: str = "word:5",
        num_perm: int = 128,
        threshold: float = 0.8,
        containment: Optional[float] = 0.8,
        bands: Optional[int] = None,
        rows: Optional[int] = None,
        max_bucket: int = 100,
        seed: int = ...,
        keep: str = "first",
        stories: bool = True,
    ) -> None: ...
    @property
    def shingle(self) -> str: ...
    @property
    def num_perm(self) -> int: ...
    @property
    def threshold(self) -> float: ...
    @property
    def containment(self) -> Optional[float]: ...
    @property
    def bands(self) -> int: ...
    @property
    def rows(self) -> int: ...
    @property
    def max_bucket(self) -> int: ...
    @property
    def seed(self) -> int: ...
    @property
    def keep(self) -> str: ...
    @property
    def stories(self) -> bool: ...
    def to_dict(self) -> Dict[str, object]: ...

class BucketStream:
    def __init__(self, max_bucket: int, containment: Optional[float] = None) -> None: ...
    def push(
        self,
        group: bytes,
        key: bytes,
        ordinal: bytes,
        exact: bytes,
        counts: Optional[bytes] = None,
    ) -> Dict[str, bytes]: ...

def fingerprints(
    params: Params,
    offsets: bytes,
    data: bytes,
    date_offsets: Optional[bytes] = None,
    date_data: Optional[bytes] = None,
) -> Dict[str, bytes]: ...
def signatures(params: Params, offsets: bytes, data: bytes) -> Dict[str, bytes]: ...
def verify_texts(
    params: Params, a_offsets: bytes, a_data: bytes, b_offsets: bytes, b_data: bytes
) -> Dict[str, bytes]: ...
def verify_signatures(
    params: Params, a_offsets: bytes, a_data: bytes, b_offsets: bytes, b_data: bytes
) -> Dict[str, bytes]: ...
def union_find(a: bytes, b: bytes) -> Dict[str, bytes]: ...
def cluster_edges(
    keep: str,
    a: bytes,
    b: bytes,
    kind: bytes,
    jaccard: bytes,
    a_in_b: bytes,
    b_in_a: bytes,
    bytes_a: bytes,
    bytes_b: bytes,
    date_a: bytes,
    date_b: bytes,
) -> Dict[str, bytes]: ...
def scan_jsonl(
    inputs: List[Tuple[str, str]],
    params: Params,
    text_field: str = "text",
    id_field: Optional[str] = None,
    date_field: Optional[str] = None,
) -> str: ...
def compare(
    a_id: str, a_text: str, b_id: str, b_text: str, params: Params, min_score: Optional[float] = None
) -> str: ...
