"""Benchmark: crmlib.rfm_summary on a large transaction log, pandas path against DuckDB path
against a hand-written DuckDB query, and the DuckDB path on 100 million rows from a Parquet file.

Run from the repository root with the course environment (``make bench-rfm``):

    .venv/bin/python benchmarks/rfm_engines.py [--rows 10000000] [--customers 1000000]
        [--big-rows 100000000] [--big-customers 10000000] [--repeats 5]
        [--workdir DIR] [--out benchmarks/rfm_results.md]

What it does, in one run:

1. generates the log of ``--rows`` purchases by ``--customers`` customers
   (``benchmarks/_rfm_data.py``) and writes it to a Parquet file in a temporary folder;
2. times, each in a fresh subprocess that reads that file into a DataFrame first (not timed):
   ``rfm_summary`` with its defaults (the pandas path, duplicates="warn"; each run followed by
   one with duplicates="keep": the difference is the cost of the duplicate check, also timed
   alone), the DuckDB path on the DataFrame and on the Parquet file, and a hand-written DuckDB
   query on the DataFrame. Each
   reports its median time over ``--repeats`` runs and its peak memory (``ru_maxrss``), also as
   the increase over the memory it held once the table was loaded;
3. checks that the three give the same summary: every customer, every column;
4. writes a log of ``--big-rows`` purchases (``--big-customers`` customers) to one Parquet file,
   chunk by chunk (10 million rows at a time, then merged by DuckDB in bounded memory), and
   summarises it with the DuckDB path in a fresh subprocess: time and peak memory;
5. writes the results, with the machine they ran on, to ``--out``.

The temporary folder (about 2 GB at 100 million rows) is removed at the end; nothing it holds
is committed. Progress is printed as it goes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from statistics import median

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

#: The hand-written query that the issue compares with: the same summary, written directly.
HANDWRITTEN_SQL = """
WITH daily AS (
    SELECT customer_id, CAST(date AS DATE) AS day, SUM(amount) AS amount
    FROM log
    GROUP BY customer_id, CAST(date AS DATE)
)
SELECT customer_id,
       COUNT(*) - 1 AS frequency,
       DATE_DIFF('day', MIN(day), MAX(day)) / 7 AS recency,
       DATE_DIFF('day', MIN(day), (SELECT MAX(CAST(date AS DATE)) FROM log)) / 7 AS "T",
       CASE WHEN COUNT(*) > 1 THEN (SUM(amount) - MIN_BY(amount, day)) / (COUNT(*) - 1) ELSE 0 END
           AS monetary
FROM daily
GROUP BY customer_id
ORDER BY customer_id
"""

#: The paths timed on the log in memory: name -> what the worker runs.
PATHS = {
    "pandas": "rfm_summary(log)  (the default: pandas path, duplicates='warn')",
    "duckdb": "rfm_summary(log, engine='duckdb')  (the DataFrame)",
    "duckdb_file": "rfm_summary(path, engine='duckdb')  (the Parquet file)",
    "handwritten": "the hand-written DuckDB query on the DataFrame",
}


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def current_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 1024**2


# --- the worker: one timed path in its own process ---------------------------------------------


def worker(path_name: str, data: Path, repeats: int, result: Path) -> dict:
    import warnings

    import duckdb

    from crmlib.transactions import rfm_summary

    log = None  # the DuckDB path on a file reads no DataFrame
    if path_name not in ("duckdb_file", "big"):
        log = duckdb.sql("SELECT * FROM read_parquet(?)", params=[str(data)]).df()
    loaded_mb = current_mb()

    def run():
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            if path_name == "pandas":
                summary = rfm_summary(log)
            elif path_name == "duckdb":
                summary = rfm_summary(log, engine="duckdb")
            elif path_name in ("duckdb_file", "big"):
                summary = rfm_summary(data, engine="duckdb")
            else:
                connection = duckdb.connect()
                connection.register("log", log)
                summary = connection.sql(HANDWRITTEN_SQL).df().set_index("customer_id")
                connection.close()
        return summary, [str(w.message) for w in seen]

    from crmlib import transactions

    # The duplicate check of the pandas path is one helper: time it inside each default run.
    check = transactions._repeated_rows
    check_times = []

    def timed_check(*args, **kwargs):
        start = time.perf_counter()
        found = check(*args, **kwargs)
        check_times.append(time.perf_counter() - start)
        return found

    transactions._repeated_rows = timed_check
    times, keep_times = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        summary, warned = run()
        times.append(time.perf_counter() - start)
        if path_name in ("pandas", "duckdb"):  # the same without the duplicate check, in turn with it
            start = time.perf_counter()
            rfm_summary(log, duplicates="keep", engine=path_name)
            keep_times.append(time.perf_counter() - start)
    check_s = check_times if path_name == "pandas" else None
    duckdb.from_df(summary.reset_index()).write_parquet(str(result))
    return {
        "times": times,
        "keep_times": keep_times,
        "check_s": check_s,
        "peak_mb": peak_mb(),
        "loaded_mb": loaded_mb,
        "customers": len(summary),
        "warning": warned[0][:160] if warned else "",
    }


def run_worker(path_name: str, data: Path, repeats: int, folder: Path) -> dict:
    """Run one path in a fresh subprocess, printing a line every 15 s while it runs."""
    result = folder / f"summary_{path_name}.parquet"
    command = [sys.executable, __file__, "--worker", path_name, "--data", str(data)]
    command += ["--repeats", str(repeats), "--result", str(result)]
    done = threading.Event()
    started = time.perf_counter()

    def heartbeat():
        while not done.wait(15):
            say(f"  ... {path_name} still running ({time.perf_counter() - started:.0f} s)")

    threading.Thread(target=heartbeat, daemon=True).start()
    try:
        finished = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    finally:
        done.set()
    if finished.returncode != 0:
        raise RuntimeError(f"{path_name} failed:\n{finished.stderr[-3000:]}")
    report = json.loads(finished.stdout.strip().splitlines()[-1])
    report["result"] = str(result)
    report["median"] = median(report["times"])
    say(
        f"  {path_name}: median {report['median']:.2f} s over {len(report['times'])} "
        f"({', '.join(f'{t:.2f}' for t in report['times'])}), peak {report['peak_mb']:.0f} MB"
    )
    return report


# --- the data -----------------------------------------------------------------------------------


def write_log(rows: int, customers: int, path: Path, folder: Path) -> float:
    """Write the generated log to one Parquet file, chunk by chunk; return the seconds it took."""
    import duckdb

    sys.path.insert(0, str(HERE))
    import _rfm_data

    started = time.perf_counter()
    parts = folder / f"parts_{rows}"
    parts.mkdir()
    connection = duckdb.connect(config={"memory_limit": "2GB", "temp_directory": str(folder / "spill")})
    count = -(-rows // _rfm_data.CHUNK_ROWS)
    for index, chunk in enumerate(_rfm_data.chunks(rows, customers)):
        connection.register("chunk", chunk)
        connection.execute("COPY chunk TO ? (FORMAT parquet)", [str(parts / f"part{index:03d}.parquet")])
        connection.unregister("chunk")
        del chunk
        say(f"  chunk {index + 1} of {count} written ({time.perf_counter() - started:.0f} s)")
    if count == 1:
        (parts / "part000.parquet").rename(path)
    else:
        say("  merging the chunks into one Parquet file")
        connection.execute(
            "COPY (SELECT * FROM read_parquet(?)) TO ? (FORMAT parquet)",
            [str(parts / "*.parquet"), str(path)],
        )
    connection.close()
    shutil.rmtree(parts)
    return time.perf_counter() - started


# --- comparing the summaries --------------------------------------------------------------------


def compare(results: dict[str, str]) -> list[str]:
    """Every customer and column of each summary against the pandas path's; a line per path."""
    import duckdb
    import numpy as np

    def read(path):
        frame = duckdb.sql("SELECT * FROM read_parquet(?)", params=[path]).df()
        return frame.set_index("customer_id").sort_index()

    reference = read(results["pandas"])
    lines = []
    for name, path in results.items():
        if name == "pandas":
            continue
        other = read(path)
        same_customers = other.index.equals(reference.index)
        worst = {}
        for column in ["frequency", "recency", "T", "monetary"]:
            if same_customers:
                a, b = reference[column].to_numpy(float), other[column].to_numpy(float)
                worst[column] = float(np.max(np.abs(a - b) / np.maximum(np.abs(a), 1.0)))
        exact = {c: v == 0.0 for c, v in worst.items()}
        agree = same_customers and all(v <= 1e-9 for v in worst.values())
        detail = ", ".join(
            f"{c} {'identical' if exact[c] else f'max relative difference {v:.1e}'}" for c, v in worst.items()
        )
        lines.append(
            f"| {name} | {len(other):,} | {'yes' if same_customers else 'NO'} | {detail} | "
            f"{'yes' if agree else 'NO'} |"
        )
    return lines


# --- the machine and the report -----------------------------------------------------------------


def machine() -> dict:
    import duckdb
    import numpy
    import pandas
    import psutil

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram": f"{psutil.virtual_memory().total / 1024**3:.1f} GB",
        "os": platform.platform(),
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "pandas": pandas.__version__,
        "duckdb": duckdb.__version__,
    }


def load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--big-rows", type=int, default=100_000_000)
    parser.add_argument("--big-customers", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--workdir", default=None, help="parent of the temporary folder (default: the system's)"
    )
    parser.add_argument("--out", default=str(HERE / "rfm_results.md"))
    parser.add_argument("--worker", choices=[*PATHS, "big"], help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, Path(args.data), args.repeats, Path(args.result))))
        return

    from crmlib.transactions import DUCKDB_MEMORY_LIMIT

    info = machine()
    load_start = load()
    say(f"machine: {info['cpu']}, {info['cores']} cores, {info['ram']}; load average {load_start}")
    with tempfile.TemporaryDirectory(prefix="crmlib-bench-rfm-", dir=args.workdir) as tmp:
        folder = Path(tmp)
        data = folder / "log.parquet"
        say(f"writing the log of {args.rows:,} purchases by {args.customers:,} customers")
        write_log(args.rows, args.customers, data, folder)
        reports = {}
        for name in PATHS:
            say(f"timing {name}: {PATHS[name]}")
            reports[name] = run_worker(name, data, args.repeats, folder)
        say("comparing the summaries, every customer and column")
        same = compare(
            {name: reports[name]["result"] for name in ("pandas", "duckdb", "duckdb_file", "handwritten")}
        )
        for line in same:
            say("  " + line)
        big_data = folder / "big.parquet"
        say(
            f"writing the log of {args.big_rows:,} purchases by {args.big_customers:,} customers, chunk by chunk"
        )
        big_write = write_log(args.big_rows, args.big_customers, big_data, folder)
        big_size = big_data.stat().st_size / 1024**3
        say(f"summarising the {big_size:.2f} GB Parquet file with the DuckDB path")
        big = run_worker("big", big_data, 1, folder)
    load_end = load()
    write_report(
        args, info, load_start, load_end, reports, same, big, big_write, big_size, DUCKDB_MEMORY_LIMIT
    )
    say(f"written {args.out}")


def write_report(args, info, load_start, load_end, reports, same, big, big_write, big_size, limit) -> None:
    pandas_s, hand_s = reports["pandas"]["median"], reports["handwritten"]["median"]
    keep_s = median(reports["pandas"]["keep_times"])
    shares = [c / t for c, t in zip(reports["pandas"]["check_s"], reports["pandas"]["times"], strict=True)]
    check_share = median(shares)
    share = (pandas_s - keep_s) / pandas_s
    duck_keep = reports["duckdb"]["keep_times"]
    ratio = pandas_s / hand_s
    big_s, big_gb = big["median"], big["peak_mb"] / 1024
    rows = []
    for name, text in PATHS.items():
        r = reports[name]
        rows.append(
            f"| {text} | {r['median']:.2f} | {', '.join(f'{t:.2f}' for t in r['times'])} | "
            f"{r['peak_mb']:,.0f} | {r['peak_mb'] - r['loaded_mb']:,.0f} |"
        )
    keep = reports["pandas"]["keep_times"]
    rows.insert(
        1,
        f"| rfm_summary(log, duplicates='keep') | {keep_s:.2f} | {', '.join(f'{t:.2f}' for t in keep)} | | |",
    )
    rows.insert(
        3,
        f"| rfm_summary(log, engine='duckdb', duplicates='keep') | {median(duck_keep):.2f} | "
        f"{', '.join(f'{t:.2f}' for t in duck_keep)} | | |",
    )
    met = {
        "default path within 1.25x the hand-written query": ratio <= 1.25,
        "duplicate check at most 10 % of the default run": check_share <= 0.10,
        "100 million rows within 2 minutes": big_s <= 120,
        "100 million rows within 4 GB": big_gb <= 4.0,
    }
    text = f"""# rfm_summary: pandas path, DuckDB path and a hand-written DuckDB query

Run on {time.strftime("%Y-%m-%d")} with `benchmarks/rfm_engines.py --repeats {args.repeats}` (`make bench-rfm`).

- CPU: {info["cpu"]} ({info["cores"]} cores available), RAM {info["ram"]}, {info["os"]}
- Python {info["python"]}, numpy {info["numpy"]}, pandas {info["pandas"]}, duckdb {info["duckdb"]}
- load average (1/5/15 min) when the run started: {load_start}; when it ended: {load_end} -- the
  machine is shared; a busy machine slows every path
- DuckDB: the default of its connection (all cores) for the hand-written query; crmlib's own
  connection for the DuckDB path, memory limit `DUCKDB_MEMORY_LIMIT` = {limit} and a temporary
  folder to spill to

## {args.rows:,} purchases by {args.customers:,} customers, in memory

The generated log of `benchmarks/_rfm_data.py`: two years, skewed purchase counts, 3 % second
purchases on the same day, 0.1 % exact copies of a row (so the duplicate check finds
{reports["pandas"]["warning"].split(" rows")[0].replace("transactions has ", "")} repeated rows and warns). Each path runs in its own subprocess that first reads
the log into a DataFrame (not timed; the DuckDB path on the Parquet file reads no DataFrame);
times are medians over the repeats. Peak memory is the process's `ru_maxrss`, the loaded table
included; the last column is the peak less the memory held once the table was loaded.

| path | median (s) | each run (s) | peak memory (MB) | over the loaded table (MB) |
|---|---|---|---|---|
{chr(10).join(rows)}

- default path / hand-written query: **{ratio:.2f}x** (target: within 1.25x)
- duplicate check, share of the default run (target: at most 10 %): **{check_share:.1%}**, the
  median over the runs of the time of the check (`crmlib.transactions._repeated_rows`, the one
  helper that does it, timed inside each default run: {", ".join(f"{c:.3f}" for c in reports["pandas"]["check_s"])} s)
  over the time of that run ({", ".join(f"{x:.1%}" for x in shares)}). The difference between
  the default run and the run with duplicates='keep' (run in turn with it, in the same process) is
  {pandas_s - keep_s:.2f} s or {share:.1%} of the median; it is a difference of two noisy medians
  (see each run's time above: the rest of a run, mostly the sort of the rows, varies by a few
  tenths of a second from one run to the next), so the check is timed where it runs instead.

Same summary as the pandas path (every customer, every column; relative differences over
max(|value|, 1)):

| path | customers | same customers | columns | agree to 1e-9 |
|---|---|---|---|---|
{chr(10).join(same)}

DuckDB sums the amounts in another order than pandas, hence differences in the last bits of
`monetary`; counts and times are identical.

## {args.big_rows:,} purchases by {args.big_customers:,} customers, from a Parquet file on disk

The log was written to one Parquet file of {big_size:.2f} GB in {big_write:.0f} s, chunk by chunk (never more
than 10 million rows in memory), then summarised by `rfm_summary(path, engine="duckdb")`
(defaults: the entry checks, the duplicate check with its warning, the summary) in a fresh
subprocess.

- time: **{big_s:.0f} s** (target: within 2 minutes)
- peak memory of the process: **{big_gb:.2f} GB** (target: within 4 GB), the summary of
  {big["customers"]:,} customers as a DataFrame included

## Targets

{chr(10).join(f"- {name}: {'met' if ok else 'MISSED'}" for name, ok in met.items())}
"""
    Path(args.out).write_text(text)


if __name__ == "__main__":
    main()
