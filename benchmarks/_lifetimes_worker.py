"""Worker of benchmarks/run.py: times lifetimes 0.11.3 fits (run in its own environment)."""

import json
import sys
import warnings

import pandas as pd
from _timing import timed

warnings.filterwarnings("ignore")

from lifetimes import BetaGeoBetaBinomFitter, BetaGeoFitter, GammaGammaFitter, ParetoNBDFitter  # noqa: E402

NAMES = {"v": "gamma"}  # lifetimes calls the gamma-gamma scale v


if __name__ == "__main__":
    data_dir, repeats = sys.argv[1], int(sys.argv[2])
    s = pd.read_csv(f"{data_dir}/cdnow_summary.csv")
    rep = s[s["frequency"] > 0]
    d = pd.read_csv(f"{data_dir}/donations.csv")
    fits = {
        "BG/NBD": lambda: BetaGeoFitter().fit(s["frequency"], s["recency"], s["T"]),
        "Pareto/NBD": lambda: ParetoNBDFitter().fit(s["frequency"], s["recency"], s["T"]),
        "Gamma-Gamma": lambda: GammaGammaFitter().fit(rep["frequency"], rep["monetary"]),
        "BG/BB": lambda: BetaGeoBetaBinomFitter().fit(
            d["frequency"], d["recency"], d["periods"], weights=d["weights"]
        ),
    }
    out = {}
    for name, fit in fits.items():
        model, times = timed(fit, repeats)
        params = {NAMES.get(k, k): float(v) for k, v in model.params_.items()}
        out[name] = {
            "params": params,
            "log_likelihood": float(getattr(model, "_negative_log_likelihood_", float("nan"))),
            "times": times,
        }
    print(json.dumps(out))
