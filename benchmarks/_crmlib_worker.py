"""Worker of benchmarks/run.py: times crmlib fits (run in the course's .venv)."""

import json
import resource
import sys
import time

import numpy as np
import pandas as pd
from _timing import timed


def cdnow(data_dir, repeats):
    from crmlib.models import BGBB, BGNBD, GammaGamma, ParetoNBD

    s = pd.read_csv(f"{data_dir}/cdnow_summary.csv")
    rep = s[s["frequency"] > 0]
    d = pd.read_csv(f"{data_dir}/donations.csv")
    fits = {
        "BG/NBD": lambda: BGNBD().fit(s["frequency"], s["recency"], s["T"]),
        "Pareto/NBD": lambda: ParetoNBD().fit(s["frequency"], s["recency"], s["T"]),
        "Gamma-Gamma": lambda: GammaGamma().fit(rep["frequency"], rep["monetary"]),
        "BG/BB": lambda: BGBB().fit(d["frequency"], d["recency"], d["periods"], weights=d["weights"]),
    }
    out = {}
    for name, fit in fits.items():
        model, times = timed(fit, repeats)
        out[name] = {
            "params": {k: float(v) for k, v in model.params_.items()},
            "log_likelihood": model.log_likelihood_,
            "times": times,
        }
    return out


def million(n):
    from crmlib.models import BGNBD, simulate_bgnbd

    rng = np.random.default_rng(20240601)
    T = rng.uniform(27.0, 39.0, n)  # continuous times: no two histories alike
    sim = simulate_bgnbd(T, 0.243, 4.414, 0.793, 2.426, seed=rng)
    start = time.perf_counter()
    model = BGNBD().fit(sim["frequency"], sim["recency"], sim["T"])
    elapsed = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "n": n,
        "seconds": elapsed,
        "peak_rss_mb": peak_kb / 1024,
        "params": {k: float(v) for k, v in model.params_.items()},
        "unique_histories": int(sim.drop_duplicates().shape[0]),
    }


if __name__ == "__main__":
    task = sys.argv[1]
    result = cdnow(sys.argv[2], int(sys.argv[3])) if task == "cdnow" else million(int(sys.argv[2]))
    print(json.dumps(result))
