"""Reference values for StatisticsReferenceTests (scipy + statsmodels), committed as
statistics_reference.json. Regenerate: python3 statistics_reference.py > statistics_reference.json
(pip install scipy statsmodels numpy; versions are recorded in the output)."""
import json

import numpy as np
import scipy
import statsmodels
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

Z = stats.norm.ppf(0.975)
out = {"meta": {"scipy": scipy.__version__, "statsmodels": statsmodels.__version__, "level": 0.95},
       "wilson": [], "proportion_ratio": [], "mean_ratio": [], "ratio_metric": []}

for k, n in [(0, 10), (1, 10), (9, 10), (10, 10), (45, 50), (49, 50), (3, 1000), (500, 1000), (1, 1)]:
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    lo, hi = proportion_confint(k, n, alpha=0.05, method="wilson")
    assert abs(ci.low - lo) < 1e-12 and abs(ci.high - hi) < 1e-12
    out["wilson"].append({"successes": k, "trials": n, "lower": ci.low, "upper": ci.high})

for c1, n1, c2, n2 in [(30, 100, 20, 100), (2, 12, 9, 11), (1, 40, 12, 40), (480, 5000, 500, 5000), (9, 10, 1, 10)]:
    lo, hi = confint_proportions_2indep(c1, n1, c2, n2, method="log", compare="ratio", alpha=0.05)
    out["proportion_ratio"].append({"treatment_successes": c1, "treatment_trials": n1,
                                    "control_successes": c2, "control_trials": n2,
                                    "lift": (c1 / n1) / (c2 / n2) - 1, "lower": lo - 1, "upper": hi - 1})

rng = np.random.default_rng(7)
samples = [
    ("skewed_small", rng.lognormal(0.0, 2.0, 12) * (rng.random(12) < 0.4), rng.lognormal(0.5, 2.0, 15) * (rng.random(15) < 0.5)),
    ("revenue_large", rng.gamma(0.3, 40.0, 800), rng.gamma(0.3, 36.0, 900)),
    ("hand", np.array([1.0, 2.0, 3.0, 4.0]), np.array([2.0, 4.0, 6.0, 8.0])),
]
for name, t, c in samples:
    if t.mean() <= 0:
        t[0] = 1.0
    vt = t.var(ddof=1) / len(t)
    vc = c.var(ddof=1) / len(c)
    log_ratio = np.log(t.mean() / c.mean())
    spread = Z * np.sqrt(vt / t.mean() ** 2 + vc / c.mean() ** 2)
    welch = stats.ttest_ind(t, c, equal_var=False)
    normal_lo = t.mean() - Z * np.sqrt(vt * len(t)) / np.sqrt(len(t))
    out["mean_ratio"].append({"name": name, "treatment": t.tolist(), "control": c.tolist(),
                              "lift": t.mean() / c.mean() - 1,
                              "lower": float(np.exp(log_ratio - spread) - 1), "upper": float(np.exp(log_ratio + spread) - 1),
                              "p": float(welch.pvalue),
                              "treatment_mean_lower": float(max(0.0, normal_lo))})

for exposures, clicks in [([3, 5, 2, 8, 4, 6, 1, 7], [1, 2, 0, 3, 1, 2, 0, 4]), ([1, 1, 2, 1, 3], [0, 0, 1, 0, 0])]:
    x = np.array(exposures, float)
    y = np.array(clicks, float)
    n = len(x)
    mx, my = x.mean(), y.mean()
    var = (y.var(ddof=1) / mx**2 - 2 * my * np.cov(x, y, ddof=1)[0, 1] / mx**3 + my**2 * x.var(ddof=1) / mx**4) / n
    r = my / mx
    se = np.sqrt(max(var, 0))
    out["ratio_metric"].append({"exposures": exposures, "clicks": clicks, "value": r,
                                "lower": float(r * np.exp(-Z * se / r)), "upper": float(r * np.exp(Z * se / r))})

print(json.dumps(out, indent=1))
