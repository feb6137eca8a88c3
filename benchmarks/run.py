"""Benchmark: crmlib against lifetimes 0.11.3 on the CDNOW fits of the four
models, and crmlib alone on BG/NBD with 1,000,000 simulated customers.

Run from the repository root with the course environment:

    .venv/bin/python benchmarks/run.py [--repeats 7] [--lifetimes-python PATH] [--out benchmarks/results.md]

lifetimes (unmaintained) needs its own environment, e.g.

    python3 -m venv /tmp/lifetimes-env
    /tmp/lifetimes-env/bin/pip install lifetimes==0.11.3 numpy==1.26.4 pandas==2.2.3 scipy==1.13.1 'setuptools<81'

Each side runs in its own subprocess on the same data (the CDNOW calibration
summary and the donations table, written to a temporary folder); the 1M fit
runs in a fresh subprocess so that its peak memory (ru_maxrss) is its own.
Times are medians over the repeats; the ratio is lifetimes / crmlib.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path
from statistics import median

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def machine() -> dict:
    cpu = "unknown"
    cores = os.cpu_count()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024**2:.1f} GB"
    except OSError:
        pass
    import numpy
    import scipy

    load = " / ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "unknown"
    return {
        "load": load,
        "cpu": cpu,
        "cores": cores,
        "ram": ram,
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "os": platform.platform(),
    }


def run_json(command: list[str]) -> dict:
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def score(name: str, params: dict, data: dict) -> float:
    """crmlib's total log-likelihood of a model at the given parameters (fitted once for its data)."""
    import numpy as np

    from crmlib.models import BGBB, BGNBD, GammaGamma, ParetoNBD

    s, d = data["summary"], data["donations"]
    repeat = s[s["frequency"] > 0]
    model = {
        "BG/NBD": lambda: BGNBD().fit(s["frequency"], s["recency"], s["T"]),
        "Pareto/NBD": lambda: ParetoNBD().fit(s["frequency"], s["recency"], s["T"]),
        "Gamma-Gamma": lambda: GammaGamma().fit(repeat["frequency"], repeat["monetary"]),
        "BG/BB": lambda: BGBB().fit(d["frequency"], d["recency"], d["periods"], weights=d["weights"]),
    }[name]()
    theta = np.log([params[k] for k in model.params_.index])
    return -float(model._negll(theta, *model._hessian_data, gradient=False)[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument(
        "--lifetimes-python", default=os.environ.get("LIFETIMES_PYTHON", "/tmp/lifetimes-env/bin/python")
    )
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--out", default=str(HERE / "results.md"))
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    import crmlib
    from crmlib.transactions import calibration_holdout_split

    info = machine()
    with tempfile.TemporaryDirectory() as folder:
        summary = calibration_holdout_split(
            crmlib.load_cdnow(), "1997-09-30", "1998-06-30", duplicates="keep"
        )
        summary[["frequency", "recency", "T", "monetary"]].to_csv(
            Path(folder) / "cdnow_summary.csv", index=False
        )
        donations = crmlib.load_donations()
        donations.to_csv(Path(folder) / "donations.csv", index=False)
        data = {"summary": summary, "donations": donations}
        ours = run_json([sys.executable, str(HERE / "_crmlib_worker.py"), "cdnow", folder, str(args.repeats)])
        theirs = run_json(
            [args.lifetimes_python, str(HERE / "_lifetimes_worker.py"), folder, str(args.repeats)]
        )
        lifetimes_versions = subprocess.run(
            [
                args.lifetimes_python,
                "-c",
                "import lifetimes, numpy, scipy, pandas, platform; "
                "print(lifetimes.__version__, numpy.__version__, scipy.__version__, pandas.__version__, platform.python_version())",
            ],
            capture_output=True,
            text=True,
        ).stdout.split()
    big = run_json([sys.executable, str(HERE / "_crmlib_worker.py"), "million", str(args.customers)])

    import datetime  # the report's date (a benchmark records when it ran; notebooks never do)

    lines = [
        "# crmlib benchmark",
        "",
        f"Run on {datetime.date.today().isoformat()} with `benchmarks/run.py --repeats {args.repeats}`.",
        "",
        f"- CPU: {info['cpu']} ({info['cores']} cores available), RAM {info['ram']}, {info['os']}",
        f"- load average when the run started (1/5/15 min): {info['load']} -- the machine is shared; "
        "a busy machine slows both sides",
        f"- crmlib side: Python {info['python']}, numpy {info['numpy']}, scipy {info['scipy']}",
        "- lifetimes side: lifetimes {}, numpy {}, scipy {}, pandas {}, Python {}".format(*lifetimes_versions)
        if len(lifetimes_versions) == 5
        else "- lifetimes side: versions unknown",
        "",
        "## CDNOW fits: estimates side by side, median times",
        "",
        "| model | parameter | crmlib | lifetimes | same to 4 significant digits |",
        "|---|---|---|---|---|",
    ]
    timing = [
        "",
        "| model | crmlib median (ms) | lifetimes median (ms) | speed-up (lifetimes / crmlib) |",
        "|---|---|---|---|",
    ]
    all_equal, all_fast = True, True
    for name in ours:
        for key, value in ours[name]["params"].items():
            other = theirs[name]["params"].get(key, float("nan"))
            same = f"{value:.4g}" == f"{other:.4g}"
            all_equal &= same
            lines.append(f"| {name} | {key} | {value:.6g} | {other:.6g} | {'yes' if same else 'NO'} |")
        a, b = median(ours[name]["times"]), median(theirs[name]["times"])
        all_fast &= b / a >= 5
        timing.append(f"| {name} | {a * 1000:.1f} | {b * 1000:.1f} | {b / a:.1f}x |")
    lines += timing
    # lifetimes' own log-likelihood uses rescaled time for some models, so both sets of estimates
    # are scored with crmlib's likelihood on the same data: where the estimates differ in the
    # 4th digit, the higher maximum is the better fit
    lines += [
        "",
        "Log-likelihood (crmlib's, in the papers' convention) at each side's estimates:",
        "",
        "| model | at crmlib's estimates | at lifetimes' estimates | crmlib - lifetimes |",
        "|---|---|---|---|",
    ]
    differing = {
        name for name in ours for line in lines if line.startswith(f"| {name} |") and line.endswith("NO |")
    }
    crmlib_higher = True
    for name in ours:
        at_ours, at_theirs = (score(name, estimates[name]["params"], data) for estimates in (ours, theirs))
        lines.append(f"| {name} | {at_ours:.6f} | {at_theirs:.6f} | {at_ours - at_theirs:.2e} |")
        if name in differing:
            crmlib_higher &= at_ours >= at_theirs - 1e-9
    lines += [
        "",
        f"## BG/NBD on {big['n']:,} simulated customers (crmlib only)",
        "",
        f"Simulated from the CDNOW estimates with continuous times, so {big['unique_histories']:,} distinct "
        "histories (grouping identical histories does not help here: the worst case).",
        "",
        f"- fit time: {big['seconds']:.2f} s (target: within 10 s)",
        f"- peak memory of the process (simulation and fit, ru_maxrss): {big['peak_rss_mb']:.0f} MB (target: within 4 GB)",
        "- estimates: "
        + ", ".join(f"{k} = {v:.4g}" for k, v in big["params"].items())
        + " (true: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426)",
        "",
        "## Targets",
        "",
        f"- every CDNOW fit at least 5x faster than lifetimes: {'met' if all_fast else 'NOT met'}",
        f"- estimates equal to 4 significant digits: {'met' if all_equal else 'NOT met (see the table)'}"
        + (
            ""
            if all_equal
            else f"; where a digit differs ({', '.join(sorted(differing))}), crmlib's log-likelihood is "
            + ("at least as high: both stopped on the same flat maximum" if crmlib_higher else "LOWER")
        ),
        f"- BG/NBD on 1M customers within 10 s and 4 GB: "
        f"{'met' if big['seconds'] <= 10 and big['peak_rss_mb'] <= 4096 else 'NOT met'}",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    Path(args.out).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
