"""The generated transaction log of benchmarks/rfm_engines.py (numpy and pandas only).

A log of ``rows`` purchases by about ``customers`` customers over two years
(2023-2024), built in chunks of at most 10 million rows so that 100 million
rows never sit in memory at once. Each chunk is a time-ordered export: rows
sorted by date, customers drawn from the whole customer base, so a chunk (and
the file written from the chunks) is not grouped by customer.

- customer ids are int64 (10,000,000 + a shuffled number), with gamma
  heterogeneity in how often each customer buys (shape 0.7), so the per-customer
  counts are skewed as in real data;
- each customer has a first day (uniform over the first 700 days), on which
  they make their first purchase; every customer buys at least that once
  (chunk j holds the first purchases of the j-th slice of the customer base),
  and their other purchases fall on uniform days between it and the end;
- 3 % of the purchases get a second purchase by the same customer on the same
  day (another amount): the same-day rule of rfm_summary is exercised;
- 0.1 % of the rows are exact copies of another row (a double-counted export):
  the duplicate check has something to find;
- amounts are lognormal, rounded to cents; dates are midnight timestamps.

Same seed, same table: each chunk has its own generator from
``numpy.random.SeedSequence([seed, chunk])``.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

START = np.datetime64("2023-01-01", "D")
DAYS = 731  # 2023-01-01 .. 2024-12-31
CHUNK_ROWS = 10_000_000
SAME_DAY_SHARE = 0.03
DUPLICATE_SHARE = 0.001


def customer_base(customers: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ids, first days and buying weights (summing to 1) of the customer base."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 1_000_003]))
    ids = 10_000_000 + rng.permutation(customers).astype(np.int64)
    first_day = rng.integers(0, 700, customers)
    weight = rng.gamma(0.7, 1.0, customers)
    return ids, first_day, weight / weight.sum()


def chunk(
    index: int, rows: int, base: tuple[np.ndarray, np.ndarray, np.ndarray], seed: int, per_chunk: int
) -> pd.DataFrame:
    """Chunk ``index`` of the log, with exactly ``rows`` rows, sorted by date."""
    ids, first_day, weight = base
    rng = np.random.default_rng(np.random.SeedSequence([seed, index]))
    same_day = int(rows * SAME_DAY_SHARE)
    duplicates = int(rows * DUPLICATE_SHARE)
    newcomers = np.arange(index * per_chunk, min((index + 1) * per_chunk, len(ids)))
    plain = rows - same_day - duplicates
    others = plain - len(newcomers)
    drawn = np.searchsorted(np.cumsum(weight), rng.random(others), side="right").clip(0, len(ids) - 1)
    who = np.concatenate([newcomers, drawn])
    day = np.concatenate(
        [
            first_day[newcomers],
            first_day[drawn] + (rng.random(others) * (DAYS - first_day[drawn])).astype(np.int64),
        ]
    )
    amount = np.round(rng.lognormal(3.2, 0.9, plain), 2)
    again = rng.integers(0, plain, same_day)  # a second purchase that day, another amount
    copied = rng.integers(0, plain, duplicates)  # an exact copy of a row
    who = np.concatenate([who, who[again], who[copied]])
    day = np.concatenate([day, day[again], day[copied]])
    amount = np.concatenate([amount, np.round(rng.lognormal(3.2, 0.9, same_day), 2), amount[copied]])
    order = np.argsort(day, kind="stable")
    return pd.DataFrame(
        {
            "customer_id": ids[who[order]],
            "date": (START + day[order]).astype("datetime64[ns]"),
            "amount": amount[order],
        }
    )


def chunks(rows: int, customers: int, seed: int = 20241231) -> Iterator[pd.DataFrame]:
    """The log in chunks of at most CHUNK_ROWS rows (their concatenation is the table)."""
    base = customer_base(customers, seed)
    count = -(-rows // CHUNK_ROWS)
    per_chunk = -(-customers // count)  # the first purchases of this many customers per chunk
    for index in range(count):
        size = min(CHUNK_ROWS, rows - index * CHUNK_ROWS)
        yield chunk(index, size, base, seed, per_chunk)


def table(rows: int, customers: int, seed: int = 20241231) -> pd.DataFrame:
    """The whole log as one DataFrame (for sizes that fit in memory)."""
    parts = list(chunks(rows, customers, seed))
    return parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
