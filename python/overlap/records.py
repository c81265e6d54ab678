"""What :func:`overlap.scan` accepts as records, turned into ``{"id", "text"[, "date"]}`` rows.

Every accepted shape is recognised explicitly; anything else raises :class:`TypeError` naming
the accepted shapes, because iterating an unknown object "generically" is how a ``list[str]``
used to be read as pairs of characters and a DataFrame as its column names.
"""

from __future__ import annotations

import datetime
import math
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional

ACCEPTED = (
    "a list (or other iterable) of texts (ids '0', '1', ... by position), of (id, text) "
    "pairs, or of dicts with the id and text keys; a pandas DataFrame or a pyarrow Table or "
    "RecordBatch with the id and text columns (without an id column, ids by row position)"
)


def rows(records: Any, id: str, text: str, date: Optional[str]) -> Iterator[Dict[str, Any]]:
    """The rows of ``records``; raises ``TypeError`` for a shape that is not accepted and
    ``ValueError`` for a table without the text (or date) column."""
    kind = _table_kind(records)
    if kind is not None:
        return _table_rows(records, kind, id, text, date)
    if isinstance(records, (str, bytes, bytearray, memoryview)):
        raise TypeError(
            f"records must be {ACCEPTED}; got a single {type(records).__name__}"
            " (wrap one text in a list)"
        )
    if isinstance(records, Mapping):
        raise TypeError(
            f"records must be {ACCEPTED}; got a {type(records).__name__} itself"
            " (pass a list of dicts, or list(d.items()) for {id: text})"
        )
    if isinstance(records, (set, frozenset)):
        raise TypeError(
            f"records must be {ACCEPTED}; got a {type(records).__name__}, which has no order"
            " (sort it into a list)"
        )
    try:
        items = iter(records)
    except TypeError:
        raise TypeError(f"records must be {ACCEPTED}; got {type(records).__name__}") from None
    return _item_rows(items, id, text, date)


def _item_rows(
    items: Iterable[Any], id: str, text: str, date: Optional[str]
) -> Iterator[Dict[str, Any]]:
    for position, rec in enumerate(items):
        if isinstance(rec, str):
            yield {"id": str(position), "text": rec}
        elif isinstance(rec, Mapping):
            row = {"id": _plain(rec.get(id)), "text": _plain(rec.get(text))}
            if date is not None:
                row["date"] = _plain(rec.get(date))
            yield row
        elif isinstance(rec, (tuple, list)) and len(rec) == 2:
            yield {"id": _plain(rec[0]), "text": _plain(rec[1])}
        else:
            shown = repr(rec)
            shown = shown if len(shown) <= 60 else shown[:57] + "..."
            raise TypeError(
                f"records[{position}] is {type(rec).__name__} {shown}: each record must be a "
                f"text, an (id, text) pair or a dict with the {id!r} and {text!r} keys "
                f"(records must be {ACCEPTED})"
            )


def _table_kind(records: Any) -> Optional[str]:
    """``pandas`` or ``arrow`` for the table types :func:`rows` reads by column, without
    importing either library."""
    module = type(records).__module__ or ""
    name = type(records).__name__
    if module.startswith("pandas") and name == "DataFrame":
        return "pandas"
    if module.startswith("pyarrow") and name in ("Table", "RecordBatch"):
        return "arrow"
    if module.startswith("pandas") or module.startswith("pyarrow"):
        raise TypeError(f"records must be {ACCEPTED}; got a {module}.{name}")
    return None


def _table_rows(
    table: Any, kind: str, id: str, text: str, date: Optional[str]
) -> Iterator[Dict[str, Any]]:
    names = table.columns if kind == "pandas" else table.column_names
    columns: List[str] = [str(c) for c in names]

    def column(name: str) -> List[Any]:
        if kind == "pandas":
            return table[name].tolist()
        return table.column(name).to_pylist()

    wanted = [("text", text)] + ([("date", date)] if date is not None else [])
    for what, name in wanted:
        if name not in columns:
            raise ValueError(
                f"the {kind} table has no {name!r} column for the {what} (its columns: "
                f"{', '.join(columns)}); name it with {what}=..."
            )
    texts = column(text)
    ids = column(id) if id in columns else [str(i) for i in range(len(texts))]
    dates = column(date) if date is not None else None
    for i, (rid, body) in enumerate(zip(ids, texts)):
        row = {"id": _plain(rid), "text": _plain(body)}
        if dates is not None:
            row["date"] = _plain(dates[i])
        yield row


def _plain(value: Any) -> Any:
    """A value JSON can carry as the CLI would read it: missing values (None, NaN, pandas'
    NA/NaT) as null, dates as ISO-8601 text, numpy scalars as Python ones."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if type(value).__name__ in ("NAType", "NaTType"):
        return None
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    item = getattr(value, "item", None)
    if callable(item) and type(value).__module__ == "numpy":
        return _plain(item())
    return value
