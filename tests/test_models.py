"""crmlib.models: the published estimates, properties of the predictions,
parameter recovery from simulated data, and every bad-input message."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import integrate
from scipy.special import gammaln

import crmlib
from crmlib import DataError
from crmlib.models import (
    BGBB,
    BGNBD,
    MAX_OPPORTUNITIES,
    MAX_SIMULATED_CUSTOMERS,
    MAX_SIMULATED_DRAWS,
    GammaGamma,
    ModelFitError,
    ParetoNBD,
    conditional_expectations_by_frequency,
    repeat_transactions_tracking,
    simulate_bgbb,
    simulate_bgnbd,
    simulate_gamma_gamma,
    simulate_pareto_nbd,
)
from crmlib.transactions import calibration_holdout_split

CALIBRATION_END = "1997-09-30"
HOLDOUT_END = "1998-06-30"


@pytest.fixture(scope="module")
def cdnow():
    return calibration_holdout_split(
        crmlib.load_cdnow(sample=True), CALIBRATION_END, HOLDOUT_END, duplicates="keep"
    )


@pytest.fixture(scope="module")
def bgnbd(cdnow):
    return BGNBD().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])


@pytest.fixture(scope="module")
def pareto(cdnow):
    return ParetoNBD().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])


@pytest.fixture(scope="module")
def bgbb():
    d = crmlib.load_donations()
    return BGBB().fit(d["frequency"], d["recency"], d["periods"], weights=d["weights"])


def sig3(value, published):
    return value == pytest.approx(published, rel=5e-4 if abs(published) > 1000 else 1e-3, abs=0.0)


# --- published numbers ---------------------------------------------------------------


def test_bgnbd_matches_fader_hardie_lee_2005_cdnow(bgnbd):
    """Fader, Hardie & Lee (2005a), Section 4: r=0.243, alpha=4.414, a=0.793, b=2.426, LL=-9582.4."""
    p = bgnbd.params_
    assert p.index.tolist() == ["r", "alpha", "a", "b"]
    assert round(p["r"], 3) == 0.243
    assert round(p["alpha"], 3) == 4.414
    assert round(p["a"], 3) == 0.793
    assert round(p["b"], 3) == 2.426
    assert round(bgnbd.log_likelihood_, 1) == -9582.4


def test_pareto_nbd_matches_fader_hardie_lee_2005_cdnow(pareto):
    """FHL (2005a), Section 4 (Pareto/NBD of SMC 1987): r=0.553, alpha=10.578, s=0.606,
    beta=11.669, LL=-9595.0."""
    p = pareto.params_
    assert p.index.tolist() == ["r", "alpha", "s", "beta"]
    assert round(p["r"], 3) == 0.553
    assert round(p["alpha"], 2) == pytest.approx(10.58)
    assert round(p["s"], 3) == 0.606
    assert round(p["beta"], 2) == pytest.approx(11.67)
    assert round(pareto.log_likelihood_, 1) == -9595.0


def test_gamma_gamma_matches_fader_hardie_lee_2005_jmr_cdnow(cdnow):
    """Fader, Hardie & Lee (2005b), JMR: p=6.25, q=3.74, gamma=15.44 on the 946 repeat buyers."""
    repeaters = cdnow[cdnow["frequency"] > 0]
    assert len(repeaters) == 946
    model = GammaGamma().fit(repeaters["frequency"], repeaters["monetary"])
    assert model.params_.index.tolist() == ["p", "q", "gamma"]
    assert round(model.params_["p"], 2) == 6.25
    assert round(model.params_["q"], 2) == 3.74
    assert round(model.params_["gamma"], 2) == 15.44


def test_bgbb_matches_fader_hardie_shang_2010_donations(bgbb):
    """Fader, Hardie & Shang (2010): alpha=1.204, beta=0.750, gamma=0.657, delta=2.783,
    LL=-33,225.6 on the 11,104 donors."""
    p = bgbb.params_
    assert p.index.tolist() == ["alpha", "beta", "gamma", "delta"]
    assert round(p["alpha"], 3) == 1.204
    assert round(p["beta"], 3) == 0.750
    assert round(p["gamma"], 3) == 0.657
    assert round(p["delta"], 3) == 2.783
    assert round(bgbb.log_likelihood_, 1) == -33225.6


# --- likelihoods and gradients --------------------------------------------------------


def test_bgnbd_conditional_expectation_matches_fader_hardie_lee_2005_cdnow():
    """E[Y(39) | x = 2, t_x = 30.43, T = 38.86] = 1.226 with the published CDNOW estimates
    (Fader, Hardie & Lee 2005a, Section 4: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426)."""
    published = BGNBD.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    assert sig3(published.expected_purchases(39.0, 2, 30.43, 38.86), 1.226)


def test_pareto_nbd_likelihood_equals_the_integral_over_the_death_time():
    """Note 009's closed form (both branches, alpha >= beta and alpha < beta) against an
    independent derivation: integrating lambda and mu out first leaves
    L = G(r+x) alpha^r / G(r) [beta^s / ((alpha+T)^(r+x) (beta+T)^s)
        + int_{t_x}^{T} s beta^s / ((alpha+u)^(r+x) (beta+u)^(s+1)) du]."""
    from scipy.special import gammaln

    for params in [(0.55, 10.6, 0.6, 11.7), (2.0, 30.0, 1.5, 4.0), (1.2, 5.0, 0.8, 20.0)]:
        r, alpha, s, beta = params
        for x, tx, big_t in [(0, 0.0, 30.0), (2, 10.0, 30.0), (5, 29.0, 30.0), (1, 3.0, 3.0)]:
            alive = beta**s / ((alpha + big_t) ** (r + x) * (beta + big_t) ** s)
            died = integrate.quad(
                # integrated at once, inside the loop: binding the loop variables late is safe
                lambda u: s * beta**s / ((alpha + u) ** (r + x) * (beta + u) ** (s + 1)),  # noqa: B023
                tx,
                big_t,
                epsabs=0,
                epsrel=1e-12,
            )[0]
            direct = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + np.log(alive + died)
            scored = ParetoNBD.from_params(r=r, alpha=alpha, s=s, beta=beta)
            ours = scored.score_samples(np.array([x]), np.array([tx]), np.array([big_t]))[0]
            assert ours == pytest.approx(direct, rel=1e-9)


def _fitted(model_class, cdnow):
    """A model fitted on the data of its paper, and those data (with weights)."""
    if model_class is GammaGamma:
        rep = cdnow[cdnow["frequency"] > 0]
        data, weights = (rep["frequency"], rep["monetary"]), None
    elif model_class is BGBB:
        d = crmlib.load_donations()
        data, weights = (d["frequency"], d["recency"], d["periods"]), d["weights"]
    else:
        data, weights = (cdnow["frequency"], cdnow["recency"], cdnow["T"]), None
    return model_class().fit(*data, weights=weights), data, weights


MODELS = [BGNBD, ParetoNBD, GammaGamma, BGBB]


@pytest.mark.parametrize("model_class", MODELS, ids=lambda c: c.__name__)
def test_each_customers_log_likelihood_adds_up_to_the_maximised_one(model_class, cdnow):
    """The fit maximises a grouped likelihood with its terms rearranged for speed; the
    plain per-customer formula (score_samples) summed must give the same number."""
    model, data, weights = _fitted(model_class, cdnow)
    assert model.log_likelihood(*data, weights=weights) == pytest.approx(model.log_likelihood_, rel=1e-9)


@pytest.mark.parametrize("model_class", MODELS, ids=lambda c: c.__name__)
def test_the_fit_is_a_maximum_of_the_log_likelihood(model_class, cdnow):
    """Every parameter moved by 0.1 % either way lowers the log-likelihood, and its
    central-difference slope there is flat. A wrong analytic gradient would have
    stopped the optimiser elsewhere."""
    model, data, weights = _fitted(model_class, cdnow)
    best = model.log_likelihood(*data, weights=weights)
    for name, value in model.params_.items():
        moved = [
            type(model)
            .from_params(**{**model.params_.to_dict(), name: value * factor})
            .log_likelihood(*data, weights=weights)
            for factor in (1 - 1e-3, 1 + 1e-3)
        ]
        assert max(moved) < best, name
        slope = (moved[1] - moved[0]) / (2e-3)  # d ln L / d ln(parameter)
        curvature = (moved[0] + moved[1] - 2 * best) / 1e-6
        assert abs(slope) < 1e-3 * abs(curvature) + 1e-4, (name, slope, curvature)


def test_gamma_gamma_newton_fit_converges_in_a_few_steps(cdnow):
    """The gamma-gamma fit takes Newton steps with the exact Hessian: a handful of
    iterations where a quasi-Newton method needs dozens (a wrong Hessian would not)."""
    model, _, _ = _fitted(GammaGamma, cdnow)
    assert model.n_iter_ <= 15


def test_from_params_scores_with_published_estimates(cdnow):
    published = BGNBD.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    assert published.log_likelihood_ is None
    total = published.log_likelihood(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    assert total == pytest.approx(-9582.4, abs=0.5)  # the paper's rounded estimates
    with pytest.raises(DataError, match="has the parameters r, alpha, a, b"):
        BGNBD.from_params(r=1, alpha=1, a=1)
    with pytest.raises(DataError, match="alpha must be above 0, got -1"):
        BGNBD.from_params(r=1, alpha=-1, a=1, b=1)
    with pytest.raises(DataError, match=r"b must be a number, got a text '2\.4'"):
        BGNBD.from_params(r=1, alpha=1, a=1, b="2.4")


def test_weights_give_the_same_fit_as_repeated_rows(cdnow):
    small = cdnow.iloc[:600]
    counts = np.arange(600) % 3 + 1
    weighted = BGNBD().fit(small["frequency"], small["recency"], small["T"], weights=counts)
    repeated = small.loc[small.index.repeat(counts)]
    expanded = BGNBD().fit(repeated["frequency"], repeated["recency"], repeated["T"])
    np.testing.assert_allclose(weighted.params_, expanded.params_, rtol=1e-5)
    assert weighted.log_likelihood_ == pytest.approx(expanded.log_likelihood_, rel=1e-9)


# --- predictions -----------------------------------------------------------------------


def test_bgnbd_p_alive_is_one_without_repeat_purchase(bgnbd, cdnow):
    assert bgnbd.p_alive(0, 0.0, 38.86) == 1.0
    p = bgnbd.p_alive(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    assert isinstance(p, pd.Series) and p.index.equals(cdnow.index)
    assert (p[cdnow["frequency"] == 0] == 1).all()
    assert ((p >= 0) & (p <= 1)).all()


@settings(max_examples=40, deadline=None)
@given(x=st.integers(0, 10_000), frac=st.floats(0, 1), big_t=st.floats(0, 500))
def test_p_alive_in_unit_interval_and_finite_in_corners(bgnbd, pareto, x, frac, big_t):
    tx = frac * big_t if x > 0 else 0.0
    assume(x == 0 or tx > 0)  # a repeat purchase comes after the first
    for model in (bgnbd, pareto):
        p = model.p_alive(x, tx, big_t)
        assert 0.0 <= p <= 1.0
        e = model.expected_purchases(39.0, x, tx, big_t)
        assert np.isfinite(e) and e >= 0


def test_predictions_stay_finite_in_corners(bgnbd, pareto):
    """Very large frequency, recency equal to T, and T = 0."""
    for model in (bgnbd, pareto):
        values = model.expected_purchases(
            39.0, [5000, 3, 0, 100], [38.0, 20.0, 0.0, 38.86], [38.86, 20.0, 0.0, 38.86]
        )
        assert np.all(np.isfinite(values)) and np.all(values >= 0)
    # recency = T: a Pareto/NBD customer who just bought is alive (A_0 = 0), while a BG/NBD
    # customer may have dropped out right after buying: P = 1 / (1 + a/(b + x - 1)) there
    assert pareto.p_alive(3, 20.0, 20.0) == 1.0
    a, b = bgnbd.params_["a"], bgnbd.params_["b"]
    assert bgnbd.p_alive(3, 20.0, 20.0) == pytest.approx(1 / (1 + a / (b + 2)), rel=1e-12)
    # a very frequent buyer who is still buying buys a lot
    assert bgnbd.expected_purchases(39.0, 100, 38.86, 38.86) > 50


def test_new_customer_is_a_customer_with_no_history(bgnbd, pareto):
    """E[Y(t) | x=0, t_x=0, T=0] = E[X(t)]: the conditional expectation of a brand-new
    customer is the unconditional one (checks the two formulas against each other)."""
    for model in (bgnbd, pareto):
        for t in (1.0, 39.0, 200.0):
            assert model.expected_purchases(t, 0, 0.0, 0.0) == pytest.approx(
                model.expected_purchases_new(t), rel=1e-9
            )


def test_bgnbd_expected_purchases_new_matches_the_paper_formula(bgnbd):
    """The Euler-transformed form equals eq. 9 of FHL (2005a) as printed."""
    from scipy.special import hyp2f1

    r, alpha, a, b = bgnbd.params_
    for t in (1.0, 10.0, 39.0, 78.0):
        printed = (
            (a + b - 1)
            / (a - 1)
            * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, t / (alpha + t)))
        )
        assert bgnbd.expected_purchases_new(t) == pytest.approx(printed, rel=1e-10)


def test_expected_purchases_match_simulation(bgnbd):
    """E[X(39)] of a new customer against 200,000 customers simulated from the fit."""
    sim = simulate_bgnbd(np.full(200_000, 39.0), *bgnbd.params_, seed=7)
    mean = sim["frequency"].mean()
    se = sim["frequency"].std() / np.sqrt(len(sim))
    assert abs(mean - bgnbd.expected_purchases_new(39.0)) < 4 * se


@pytest.mark.parametrize("which", ["bgnbd", "pareto"])
def test_conditional_expectation_increases_with_horizon(which, request, cdnow):
    model = request.getfixturevalue(which)
    sample = cdnow.iloc[:200]
    previous = np.zeros(len(sample))
    for t in (1.0, 10.0, 39.0, 100.0, 1000.0):
        now = np.asarray(model.expected_purchases(t, sample["frequency"], sample["recency"], sample["T"]))
        assert np.all(now >= previous)
        previous = now
    new = np.asarray(model.expected_purchases_new([1.0, 10.0, 39.0, 100.0]))
    assert np.all(np.diff(new) > 0)


def test_pareto_dert_equals_the_discounted_integral(pareto):
    """DERT (FHL 2005b eq. 2) = integral of e^(-delta t) dE[Y(t)|...]/dt dt."""
    delta = np.log(1.15) / 52
    for x, tx, big_t in [(0, 0.0, 38.86), (2, 30.43, 38.86), (7, 35.0, 38.0)]:
        # used at once, inside the loop: binding the loop variables late is safe
        def density(t, x=x, tx=tx, big_t=big_t):
            h = 1e-4
            return (
                np.exp(-delta * t)
                * (
                    pareto.expected_purchases(t + h, x, tx, big_t)
                    - pareto.expected_purchases(max(t - h, 0.0), x, tx, big_t)
                )
                / (t + h - max(t - h, 0.0))
            )

        numeric = integrate.quad(density, 0, np.inf, limit=400)[0]
        assert pareto.discounted_expected_transactions(
            np.expm1(delta), x, tx, big_t, period_length=1
        ) == pytest.approx(numeric, rel=1e-4)


def _simulated_bgnbd_dert(r, alpha, a, b, x, tx, big_t, delta, draws, rng):
    """Monte Carlo DERT of one BG/NBD history: draw the alive state (FHL 2008, note 021,
    eq. 5), lambda ~ Gamma(r+x, alpha+T) and p ~ Beta(a, b+x) for the alive, simulate
    the purchases (exponential gaps, dropout with probability p after each) and add
    e^(-delta t) at each purchase. Returns the mean and its standard error."""
    odds_dead = 0.0 if x == 0 else a / (b + x - 1) * ((alpha + big_t) / (alpha + tx)) ** (r + x)
    alive = rng.random(draws) < 1 / (1 + odds_dead)
    lam = rng.gamma(r + x, 1 / (alpha + big_t), draws)[alive]
    p = rng.beta(a, b + x, draws)[alive]
    worth, now = np.zeros(lam.size), np.zeros(lam.size)
    active = np.arange(lam.size)
    while active.size:
        now[active] += rng.exponential(1 / lam[active])
        step = np.exp(-delta * now[active])
        worth[active] += step
        active = active[(rng.random(active.size) >= p[active]) & (step > 1e-16)]
    value = np.zeros(draws)
    value[np.flatnonzero(alive)] = worth
    return value.mean(), value.std() / np.sqrt(draws)


def test_bgnbd_dert_agrees_with_a_simulation_of_the_posterior():
    r, alpha, a, b = 0.243, 4.414, 0.793, 2.426  # FHL 2005a, CDNOW
    model = BGNBD.from_params(r=r, alpha=alpha, a=a, b=b)
    delta = 0.01
    histories = [(0, 0.0, 38.86), (2, 30.43, 38.86), (7, 35.0, 38.0)]
    rng = np.random.default_rng(2024)
    for x, tx, big_t in histories:
        mean, se = _simulated_bgnbd_dert(r, alpha, a, b, x, tx, big_t, delta, 1_000_000, rng)
        value = model.discounted_expected_transactions(np.expm1(delta), x, tx, big_t, period_length=1)
        assert 3 * se < 0.01 * mean
        assert abs(value - mean) < 3 * se
    # vectorized over customers: the same values, a Series keeps its index
    x, tx, big_t = (pd.Series(c, index=list("uvw")) for c in zip(*histories, strict=True))
    together = model.discounted_expected_transactions(np.expm1(delta), x, tx, big_t, period_length=1)
    assert list(together.index) == list("uvw")
    for i, row in enumerate(histories):
        assert together.iloc[i] == pytest.approx(
            model.discounted_expected_transactions(np.expm1(delta), *row, period_length=1), rel=1e-9
        )


def test_bgnbd_dert_under_a_steep_discount_is_finite_and_continuous():
    """A tiny period_length (delta (alpha + T) of 1e4 and more) once gave NaN for customers with
    purchases (hypothesis found period_length=1e-20): there the kernel is its series in 1/z, which
    meets the quadrature where they hand over, and DERT falls like 1/delta."""
    from crmlib.models.bgnbd import _bgnbd_discount_kernel

    r, alpha, a, b = 0.243, 4.414, 0.793, 2.426
    model = BGNBD.from_params(r=r, alpha=alpha, a=a, b=b)
    value = model.discounted_expected_transactions(
        0.15, [2, 0, 5], [30.43, 0.0, 20.0], [38.86] * 3, period_length=1e-20
    )
    assert np.all(np.isfinite(value)) and np.all(value > 0)
    x = np.array([0.0, 2.0, 5.0])
    c = a + b + x  # Laplace series of E[(1 + p u)^-(r+x+1)], p ~ Beta(a, b+x): 1/z + F'(0)/z^2 + F''(0)/z^3

    def series(z):
        return (
            1 / z
            - (r + x + 1) * a / c / z**2
            + (r + x + 1) * (r + x + 2) * a * (a + 1) / (c * (c + 1)) / z**3
        )

    for z, tolerance in ((9_999.0, 1e-9), (10_001.0, 1e-12)):  # the quadrature, then the series
        np.testing.assert_allclose(
            _bgnbd_discount_kernel(r, a, b, x, np.full(3, z)), series(z), rtol=tolerance
        )
    big, bigger = (
        model.discounted_expected_transactions(0.15, 2, 30.43, 38.86, period_length=length)
        for length in (1e-8, 1e-10)
    )
    assert bigger == pytest.approx(big / 100, rel=1e-6)


def test_bgnbd_dert_at_a_large_discount_rate_is_the_discounted_purchase_rate():
    """For delta >> p lambda, lambda/(delta + p lambda) = lambda/delta - p lambda^2/delta^2 + ...,
    so DERT = P(alive) (E[lambda]/delta - E[p] E[lambda^2]/delta^2) + O(delta^-3)."""
    r, alpha, a, b = 0.243, 1000.0, 0.793, 2.426
    model = BGNBD.from_params(r=r, alpha=alpha, a=a, b=b)
    delta = 1.0
    for x, tx, big_t in [(0, 0.0, 38.86), (2, 30.43, 38.86), (7, 35.0, 38.0)]:
        alive = 1.0 if x == 0 else 1 / (1 + a / (b + x - 1) * ((alpha + big_t) / (alpha + tx)) ** (r + x))
        k, rate = r + x, alpha + big_t
        first = alive * k / rate / delta
        second = first - alive * a / (a + b + x) * k * (k + 1) / rate**2 / delta**2
        value = model.discounted_expected_transactions(np.expm1(delta / 2), x, tx, big_t, period_length=0.5)
        assert value == pytest.approx(second, rel=1e-5)
        assert value != pytest.approx(first, rel=1e-5)  # the second-order term is seen


def test_bgnbd_dert_without_discounting_is_every_future_purchase():
    """As delta -> 0, DERT -> P(alive) E[1/p] = P(alive) (a+b+x-1)/(a-1) (a > 1)."""
    r, alpha, a, b = 2.0, 5.0, 3.0, 2.0
    model = BGNBD.from_params(r=r, alpha=alpha, a=a, b=b)
    for x, tx, big_t in [(0, 0.0, 38.86), (2, 30.43, 38.86), (7, 35.0, 38.0)]:
        alive = 1.0 if x == 0 else 1 / (1 + a / (b + x - 1) * ((alpha + big_t) / (alpha + tx)) ** (r + x))
        limit = alive * (a + b + x - 1) / (a - 1)
        assert model.discounted_expected_transactions(
            np.expm1(1e-8), x, tx, big_t, period_length=1
        ) == pytest.approx(limit, rel=1e-5)


def test_bgbb_dert_is_the_discounted_sum_over_the_posterior():
    """DERT = sum_{j>=1} P(alive at n+j, transact | history) / (1+d)^j, by dblquad over
    the posterior of (p, theta) (prior Beta(alpha, beta) x Beta(gamma, delta) times the
    likelihood, FHS 2010 eq. 5 written per (p, theta)), the sum truncated at 400 terms."""
    al, be, ga, de = 1.204, 0.750, 0.657, 2.783  # FHS 2010, donations
    model = BGBB.from_params(alpha=al, beta=be, gamma=ga, delta=de)
    d = 0.1
    j = np.arange(1, 401)
    for x, tx, n in [(0, 0, 6), (3, 5, 6), (6, 6, 6)]:

        def prior(p, th):  # unnormalized: the constants cancel in the ratio
            return p ** (al - 1) * (1 - p) ** (be - 1) * th ** (ga - 1) * (1 - th) ** (de - 1)

        def alive(p, th, x=x, n=n):
            return p**x * (1 - p) ** (n - x) * (1 - th) ** n

        def likelihood(th, p, x=x, tx=tx, n=n):
            died = sum(p**x * (1 - p) ** (tx - x + i) * th * (1 - th) ** (tx + i) for i in range(n - tx))
            return prior(p, th) * (alive(p, th) + died)

        def future(th, p):
            return prior(p, th) * alive(p, th) * p * np.sum(((1 - th) / (1 + d)) ** j)

        options = {"epsabs": 0.0, "epsrel": 1e-9}
        top = integrate.dblquad(future, 0, 1, 0, 1, **options)[0]
        bottom = integrate.dblquad(likelihood, 0, 1, 0, 1, **options)[0]
        assert model.discounted_expected_transactions(d, x, tx, n) == pytest.approx(top / bottom, rel=1e-6)


def test_gamma_gamma_expected_spend_is_between_population_and_own_mean(cdnow):
    rep = cdnow[cdnow["frequency"] > 0]
    model = GammaGamma().fit(rep["frequency"], rep["monetary"])
    pop = model.population_mean_
    spend = model.expected_spend(rep["frequency"], rep["monetary"])
    low = np.minimum(pop, rep["monetary"])
    high = np.maximum(pop, rep["monetary"])
    assert ((spend >= low - 1e-9) & (spend <= high + 1e-9)).all()
    assert model.expected_spend(0, 0.0) == pytest.approx(pop)
    # more transactions: closer to the customer's own mean
    assert abs(model.expected_spend(50, 100.0) - 100) < abs(model.expected_spend(2, 100.0) - 100)


def test_bgbb_p_alive_and_expectations(bgbb):
    d = crmlib.load_donations()
    p = bgbb.p_alive(d["frequency"], d["recency"], d["periods"])
    assert ((p > 0) & (p < 1)).all()
    # a donor who gave in every period is more likely alive than one who stopped after period 1
    assert bgbb.p_alive(6, 6, 6) > bgbb.p_alive(1, 1, 6)
    e = [bgbb.expected_purchases(k, 3, 4, 6) for k in range(0, 8)]
    assert e[0] == 0 and np.all(np.diff(e) > 0)
    # a new customer (x = t_x = n = 0): E[X(n*)] = alpha/(alpha+beta) delta/(gamma-1)
    # [1 - G(gamma+delta)/G(1+delta) G(1+delta+n*)/G(gamma+delta+n*)] (FHS 2010, eq. 8)
    al, be, ga, de = bgbb.params_
    for nstar in (1, 5, 11):
        closed = (
            al
            / (al + be)
            * de
            / (ga - 1)
            * (
                1
                - np.exp(
                    gammaln(ga + de) - gammaln(1 + de) + gammaln(1 + de + nstar) - gammaln(ga + de + nstar)
                )
            )
        )
        assert bgbb.expected_purchases(nstar, 0, 0, 0) == pytest.approx(closed, rel=1e-10)
    first6 = simulate_bgbb(1, 6, *bgbb.params_, seed=3)
    assert list(first6.columns) == ["frequency", "recency", "n_periods"]


def test_bgbb_expected_purchases_match_simulation(bgbb):
    """Expected transactions of a new customer over 10 opportunities (x=0, t_x=0, n=0)
    against 200,000 simulated customers."""
    sim = simulate_bgbb(200_000, 10, *bgbb.params_, seed=11)
    se = sim["frequency"].std() / np.sqrt(len(sim))
    assert abs(sim["frequency"].mean() - bgbb.expected_purchases(10, 0, 0, 0)) < 4 * se
    # P(alive in period 1) of a new customer is E[1 - theta] = delta / (gamma + delta)
    g, dlt = bgbb.params_["gamma"], bgbb.params_["delta"]
    assert bgbb.p_alive(0, 0, 0) == pytest.approx(dlt / (g + dlt))


# --- parameter recovery -----------------------------------------------------------------


def _within(model, truth, k=4.0):
    table = model.summary()
    z = (table["estimate"] - pd.Series(truth, index=table.index)) / table["std_error"]
    assert (z.abs() < k).all(), table.assign(truth=truth, z=z)


def test_bgnbd_recovers_simulated_parameters():
    truth = [0.25, 4.4, 0.8, 2.4]
    T = np.random.default_rng(1).integers(27 * 7, 39 * 7, 20_000) / 7
    sim = simulate_bgnbd(T, *truth, seed=2)
    _within(BGNBD().fit(sim["frequency"], sim["recency"], sim["T"]), truth)


def test_pareto_nbd_recovers_simulated_parameters():
    truth = [0.55, 10.6, 0.6, 11.7]
    T = np.random.default_rng(1).integers(27, 40, 8_000).astype(float)
    sim = simulate_pareto_nbd(T, *truth, seed=3)
    # dates by day, so histories repeat; a repeat purchase comes a day or more after the first
    days = np.round(sim["recency"] * 7)
    sim["recency"] = np.where(sim["frequency"] > 0, np.maximum(days, 1), 0) / 7
    _within(ParetoNBD().fit(sim["frequency"], sim["recency"], sim["T"]), truth)


def test_gamma_gamma_recovers_simulated_parameters():
    truth = [6.25, 3.74, 15.44]
    x = np.random.default_rng(1).integers(1, 10, 20_000)
    sim = simulate_gamma_gamma(x, *truth, seed=4)
    _within(GammaGamma().fit(sim["frequency"], sim["monetary"]), truth)


def test_bgbb_recovers_simulated_parameters():
    truth = [1.2, 0.75, 0.66, 2.78]
    sim = simulate_bgbb(20_000, 6, *truth, seed=5)
    _within(BGBB().fit(sim["frequency"], sim["recency"], sim["n_periods"]), truth)


# --- hold-out checks ---------------------------------------------------------------------


def test_tracking_counts_every_repeat_transaction(bgnbd, cdnow):
    table = repeat_transactions_tracking(
        bgnbd, crmlib.load_cdnow(), CALIBRATION_END, HOLDOUT_END, duplicates="keep"
    )
    assert len(table) == 78
    assert table.loc[~table["holdout"], "actual"].sum() == cdnow["frequency"].sum()
    assert table.loc[table["holdout"], "actual"].sum() == cdnow["frequency_holdout"].sum()
    # predicted cumulative total equals the sum of the customers' E[X(age)]
    ages = pd.Timestamp(HOLDOUT_END) - (
        pd.Timestamp(CALIBRATION_END) - pd.to_timedelta(cdnow["T"] * 7, unit="D")
    )
    ages = (ages.dt.days + 1) / 7
    expected_total = np.sum(bgnbd.expected_purchases_new(ages.to_numpy()))
    assert table["predicted_cumulative"].iloc[-1] == pytest.approx(expected_total, rel=1e-3)


def test_conditional_expectations_by_frequency(bgnbd, cdnow):
    table = conditional_expectations_by_frequency(bgnbd, cdnow)
    assert table["customers"].sum() == len(cdnow)
    assert table.index.max() == 7
    assert table["predicted"].is_monotonic_increasing


# --- errors ------------------------------------------------------------------------------


def test_nobody_repeats_is_reported():
    with pytest.raises(DataError, match="nobody made a repeat purchase"):
        BGNBD().fit([0, 0, 0], [0.0, 0.0, 0.0], [10.0, 20.0, 30.0])
    with pytest.raises(DataError, match="nobody made a repeat purchase"):
        ParetoNBD().fit([0, 0], [0.0, 0.0], [10.0, 20.0])
    with pytest.raises(DataError, match="nobody transacted again"):
        BGBB().fit([0, 0], [0, 0], [6, 6])


def test_unidentified_fit_is_reported():
    """Customers who all buy at the same steady rate and never stop: the dropout
    probability runs off to 0, which the fit reports rather than returning it."""
    rng = np.random.default_rng(0)
    T = np.full(3000, 39.0)
    x = rng.poisson(0.5 * 39.0, 3000)
    tx = np.where(x > 0, 39.0 * rng.beta(np.maximum(x, 1), 1), 0.0)
    with pytest.raises(ModelFitError, match="cannot identify"):
        BGNBD().fit(x, tx, T)


def test_bad_inputs_name_the_column():
    with pytest.raises(DataError, match="column 'frequency' has 1 negative values"):
        BGNBD().fit([1, -1], [1.0, 0.0], [5.0, 5.0])
    with pytest.raises(DataError, match="column 'frequency' has 1 values that are not whole"):
        BGNBD().fit([1.5, 1], [1.0, 1.0], [5.0, 5.0])
    with pytest.raises(DataError, match="column 'recency' exceeds 'T'"):
        BGNBD().fit([1, 1], [6.0, 1.0], [5.0, 5.0])
    with pytest.raises(DataError, match="column 'recency' is positive for 1 customers with frequency 0"):
        ParetoNBD().fit([0, 1], [2.0, 1.0], [5.0, 5.0])
    with pytest.raises(DataError, match="T holds 1 missing or infinite values"):
        BGNBD().fit([1, 1], [1.0, 1.0], [np.nan, 5.0])
    with pytest.raises(
        DataError, match=r"column 'T' has 1 missing values \(row 7\): drop or fill them first"
    ):
        BGNBD().fit(*(pd.Series(v, index=[7, 8]) for v in ([1, 1], [1.0, 1.0], [np.nan, 5.0])))
    with pytest.raises(DataError, match="same length"):
        BGNBD().fit([1, 1, 0], [1.0, 1.0], [5.0, 5.0])
    with pytest.raises(DataError, match="column 'monetary' has 1 zero values"):
        GammaGamma().fit([1, 2], [0.0, 5.0])
    with pytest.raises(DataError, match="column 'frequency' is 0 for 1 customers"):
        GammaGamma().fit([0, 2], [3.0, 5.0])
    with pytest.raises(DataError, match="column 'recency' exceeds 'n_periods'"):
        BGBB().fit([1, 2], [7, 3], [6, 6])
    with pytest.raises(DataError, match="discount_rate must be above 0, got 0"):
        ParetoNBD.from_params(r=0.55, alpha=10.58, s=0.61, beta=11.67).discounted_expected_transactions(
            0, 1, 1.0, 2.0, period_length=52
        )
    with pytest.raises(ModelFitError, match="not fitted yet"):
        BGNBD().p_alive(1, 1.0, 2.0)


def test_repr_and_summary(bgnbd):
    assert repr(bgnbd).startswith("BGNBD(r=0.2426")
    table = bgnbd.summary()
    assert list(table.columns) == ["estimate", "std_error"]
    assert (table["std_error"] > 0).all()


# --- issue 10: bad input is refused clearly (or handled), sizes are capped -------------------


def test_bgbb_sizes_are_capped():
    """Issue 10: 10**9 opportunities made the BG/BB allocate one term per opportunity and
    kill the kernel; n_periods and n_future are capped at MAX_OPPORTUNITIES."""
    assert MAX_OPPORTUNITIES == 1_000
    bgbb = BGBB.from_params(alpha=1.204, beta=0.750, gamma=0.657, delta=2.783)
    too_many = r"must be at most 1,000, got 1,000,000,000: a larger value would take memory and time"
    with pytest.raises(DataError, match="n_future " + too_many):
        bgbb.expected_purchases(10**9, 1, 1, 6)
    with pytest.raises(DataError, match="the largest n_periods " + too_many):
        BGBB().fit([1, 2], [1, 2], [10**9, 10**9])
    with pytest.raises(DataError, match="n_periods " + too_many):
        bgbb.p_alive(1, 1, 10**9)
    with pytest.raises(
        DataError, match=r"n_future must be numbers \(a list, an array or a Series\), got '5'"
    ):
        bgbb.expected_purchases("5", 1, 1, 6)
    assert bgbb.expected_purchases(MAX_OPPORTUNITIES, 1, 1, 6) > 0


def test_simulation_sizes_are_capped():
    """Issue 10: simulate_* allocated in proportion to n_customers, n_periods and T."""
    assert MAX_SIMULATED_CUSTOMERS == 10_000_000 and MAX_SIMULATED_DRAWS == 100_000_000
    with pytest.raises(DataError, match=r"n_customers must be at most 10,000,000, got 1,000,000,000"):
        simulate_bgbb(10**9, 6, 1.2, 0.75, 0.66, 2.8)
    with pytest.raises(DataError, match=r"n_periods must be at most 1,000, got 1,000,000,000"):
        simulate_bgbb(20, 10**9, 1.2, 0.75, 0.66, 2.8)
    with pytest.raises(DataError, match=r"n_customers x n_periods must be at most 100,000,000"):
        simulate_bgbb(10_000_000, 1_000, 1.2, 0.75, 0.66, 2.8)
    with pytest.raises(DataError, match=r"n_customers must be at least 1, got -1"):
        simulate_bgbb(-1, 6, 1.2, 0.75, 0.66, 2.8)
    with pytest.raises(DataError, match=r"n_periods must be a whole number, got 2.5"):
        simulate_bgbb(20, 2.5, 1.2, 0.75, 0.66, 2.8)
    with pytest.raises(
        DataError, match=r"the number of customers \(the length of T\) must be at least 1, got 0"
    ):
        simulate_bgnbd([], 0.5, 5.0, 0.8, 2.5)
    with pytest.raises(DataError, match=r"r, alpha and T give a customer .* expected transactions: too many"):
        simulate_bgnbd([1e300], 0.5, 5.0, 0.8, 2.5)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf, -1.0, 0.0, "0.5", None, True])
@pytest.mark.parametrize(
    ("simulate", "arguments", "names"),
    [
        (simulate_bgnbd, ([10.0, 20.0], 0.5, 5.0, 0.8, 2.5), ["r", "alpha", "a", "b"]),
        (simulate_pareto_nbd, ([10.0, 20.0], 0.5, 10.0, 0.6, 12.0), ["r", "alpha", "s", "beta"]),
        (simulate_gamma_gamma, ([1, 3], 6.0, 4.0, 15.0), ["p", "q", "gamma"]),
        (simulate_bgbb, (20, 6, 1.2, 0.75, 0.66, 2.8), ["alpha", "beta", "gamma", "delta"]),
    ],
    ids=["bgnbd", "pareto_nbd", "gamma_gamma", "bgbb"],
)
def test_simulation_parameters_must_be_positive_numbers(simulate, arguments, names, bad):
    """Issue 10: NaN, infinite or negative parameters reached numpy's errors (or gave NaN)."""
    first = len(arguments) - len(names)
    for k, name in enumerate(names):
        changed = list(arguments)
        changed[first + k] = bad
        with pytest.raises(DataError, match=rf"^{name} must be (a number|a finite number|above 0), got"):
            simulate(*changed)


@pytest.mark.parametrize(
    "simulate", [simulate_bgnbd, simulate_pareto_nbd, simulate_gamma_gamma, simulate_bgbb]
)
def test_simulation_seed_is_a_whole_number_or_a_generator(simulate):
    """Issue 10: seed=-1 reached numpy's 'expected non-negative integer'."""
    arguments = {
        simulate_bgnbd: ([10.0, 20.0], 0.5, 5.0, 0.8, 2.5),
        simulate_pareto_nbd: ([10.0, 20.0], 0.5, 10.0, 0.6, 12.0),
        simulate_gamma_gamma: ([1, 3], 6.0, 4.0, 15.0),
        simulate_bgbb: (20, 6, 1.2, 0.75, 0.66, 2.8),
    }[simulate]
    with pytest.raises(DataError, match=r"seed must be at least 0, got -1"):
        simulate(*arguments, seed=-1)
    with pytest.raises(DataError, match=r"seed must be a whole number, got a NoneType None"):
        simulate(*arguments, seed=None)
    with pytest.raises(DataError, match=r"seed must be a whole number, got 2.5"):
        simulate(*arguments, seed=2.5)
    # a Generator draws from its own stream: the same draws as the seed it was made with
    pd.testing.assert_frame_equal(
        simulate(*arguments, seed=np.random.default_rng(7)), simulate(*arguments, seed=7)
    )


def test_simulation_data_are_numbers():
    with pytest.raises(DataError, match=r"T must be numbers, got a value that is not \('a'\)"):
        simulate_bgnbd(["a", "b"], 0.5, 5.0, 0.8, 2.5)
    with pytest.raises(DataError, match=r"T must be numbers, got a value that is not \('a'\)"):
        simulate_pareto_nbd(["a", "b"], 0.5, 10.0, 0.6, 12.0)
    with pytest.raises(DataError, match=r"frequency must be numbers, got a value that is not \('a'\)"):
        simulate_gamma_gamma(["a", "b"], 6.0, 4.0, 15.0)
    with pytest.raises(DataError, match=r"column 'frequency' is 0 for 1 customers"):
        simulate_gamma_gamma([0, 3], 6.0, 4.0, 15.0)
    with pytest.raises(DataError, match=r"column 'T' has 1 negative values"):
        simulate_bgnbd([-1.0, 2.0], 0.5, 5.0, 0.8, 2.5)


def test_pareto_dert_refuses_an_infinite_or_percentage_discount_rate(pareto):
    """Issue 10: discount_rate=inf returned NaN; 15 for 15 % would be silently wrong."""
    with pytest.raises(DataError, match=r"discount_rate must be a finite number, got inf"):
        pareto.discounted_expected_transactions(np.inf, 1, 1.0, 2.0, period_length=52)
    with pytest.raises(DataError, match=r"discount_rate must be at most 1, got 15 \(give rates as fractions"):
        pareto.discounted_expected_transactions(15, 1, 1.0, 2.0, period_length=52)
    with pytest.raises(DataError, match=r"discount_rate must be a number, got a NoneType None"):
        pareto.discounted_expected_transactions(None, 1, 1.0, 2.0, period_length=52)
    assert np.isfinite(pareto.discounted_expected_transactions(1.0, 1, 1.0, 2.0, period_length=52))


def test_conditional_expectations_refuse_text_and_a_text_max_frequency(bgnbd, cdnow):
    """Issue 10: text in a column or max_frequency="3" raised raw ValueError/UFuncTypeError."""
    with pytest.raises(DataError, match=r"max_frequency must be a whole number, got a text '3'"):
        conditional_expectations_by_frequency(bgnbd, cdnow, max_frequency="3")
    texted = cdnow.assign(frequency_holdout=cdnow["frequency_holdout"].astype(object))
    texted.loc[texted.index[0], "frequency_holdout"] = "1,234 yuan"
    with pytest.raises(DataError, match=r"column 'frequency_holdout' has 1 values that are not numbers"):
        conditional_expectations_by_frequency(bgnbd, texted)
    with pytest.raises(DataError, match=r"summary has no column 'frequency_holdout'"):
        conditional_expectations_by_frequency(bgnbd, cdnow.drop(columns="frequency_holdout"))
    with pytest.raises(DataError, match=r"column 'duration_holdout' has 1 negative values"):
        conditional_expectations_by_frequency(
            bgnbd, cdnow.assign(duration_holdout=np.r_[-1.0, cdnow["duration_holdout"].iloc[1:]])
        )
    with pytest.raises(DataError, match=r"model must be a BGNBD or a ParetoNBD model, got GammaGamma"):
        conditional_expectations_by_frequency(GammaGamma.from_params(p=6, q=4, gamma=15), cdnow)
    # a text index and a duplicated one give the same answer as the default index
    table = conditional_expectations_by_frequency(bgnbd, cdnow, max_frequency=3)
    relabelled = cdnow.set_axis([f"c{i}" for i in range(len(cdnow))])
    pd.testing.assert_frame_equal(
        conditional_expectations_by_frequency(bgnbd, relabelled, max_frequency=3), table
    )
    repeated = cdnow.set_axis([0] * len(cdnow))
    pd.testing.assert_frame_equal(
        conditional_expectations_by_frequency(bgnbd, repeated, max_frequency=3), table
    )


def test_plots_refuse_a_list_instead_of_a_table(bgnbd, cdnow):
    """Issue 10: plot_tracking / plot_frequency_check with a list raised raw TypeErrors."""
    import matplotlib.pyplot as plt

    from crmlib.models import plot_frequency_check, plot_tracking

    tracking = repeat_transactions_tracking(
        bgnbd, crmlib.load_cdnow(), CALIBRATION_END, HOLDOUT_END, duplicates="keep"
    )
    by_frequency = conditional_expectations_by_frequency(bgnbd, cdnow)
    with pytest.raises(DataError, match=r"table must be a pandas DataFrame, got list"):
        plot_tracking(tracking.to_dict("records"))
    with pytest.raises(DataError, match=r"table must be a pandas DataFrame, got list"):
        plot_frequency_check(by_frequency.to_dict("records"))
    with pytest.raises(DataError, match=r"cumulative must be True or False, got 'yes'"):
        plot_tracking(tracking, cumulative="yes")
    as_text = tracking.assign(holdout=tracking["holdout"].map({True: "True", False: "False"}))
    with pytest.raises(DataError, match=r"column 'holdout' of table must hold True/False values"):
        plot_tracking(as_text)
    with pytest.raises(DataError, match=r"table has no column 'predicted'"):
        plot_frequency_check(by_frequency.drop(columns="predicted"))
    # one row is still a plot
    plot_tracking(tracking.iloc[-1:])
    plot_frequency_check(by_frequency.iloc[:1])
    plt.close("all")


def test_tracking_dates_must_be_in_order(bgnbd):
    with pytest.raises(DataError, match=r"holdout_end \(1997-01-30\) comes before calibration_end"):
        repeat_transactions_tracking(
            bgnbd, crmlib.load_cdnow(), CALIBRATION_END, "1997-01-30", duplicates="keep"
        )
    with pytest.raises(DataError, match=r"nobody made a first purchase by calibration_end \(1990-01-01\)"):
        repeat_transactions_tracking(bgnbd, crmlib.load_cdnow(), "1990-01-01", HOLDOUT_END, duplicates="keep")


def test_series_are_matched_by_label_not_by_position(bgnbd, pareto, bgbb, cdnow):
    """Series with the same labels in another order are aligned on the index (they were
    refused, and before that paired by position); Series of different customers are
    refused; plain arrays are matched by position."""
    shuffled = cdnow.sample(frac=1.0, random_state=1)
    for model in (bgnbd, pareto):
        p = model.p_alive(cdnow["frequency"], cdnow["recency"], cdnow["T"])
        q = model.p_alive(cdnow["frequency"], shuffled["recency"], shuffled["T"])
        pd.testing.assert_series_equal(q, p)  # indexed as the first Series
        e = model.expected_purchases(39.0, cdnow["frequency"], cdnow["recency"], cdnow["T"])
        f = model.expected_purchases(39.0, shuffled["frequency"], cdnow["recency"], shuffled["T"])
        pd.testing.assert_series_equal(f.loc[e.index], e)
        arrays = model.p_alive(
            cdnow["frequency"].to_numpy(), cdnow["recency"].to_numpy(), cdnow["T"].to_numpy()
        )
        np.testing.assert_array_equal(arrays, p.to_numpy())
    other = cdnow["recency"].rename(index=lambda k: f"c{k}")
    with pytest.raises(DataError, match=r"frequency and recency are Series with different row labels"):
        bgnbd.p_alive(cdnow["frequency"], other, cdnow["T"])
    rep = cdnow[cdnow["frequency"] > 0]
    spend = GammaGamma.from_params(p=6.25, q=3.74, gamma=15.44)
    pd.testing.assert_series_equal(
        spend.expected_spend(rep["frequency"], rep["monetary"].sample(frac=1.0, random_state=2)),
        spend.expected_spend(rep["frequency"], rep["monetary"]),
    )
    d = crmlib.load_donations()
    back = d.iloc[::-1]
    pd.testing.assert_series_equal(
        bgbb.p_alive(d["frequency"], back["recency"], back["periods"]),
        bgbb.p_alive(d["frequency"], d["recency"], d["periods"]),
    )


def test_arrays_of_two_dimensions_and_true_false_are_refused(bgnbd):
    """A 2-d array was flattened silently, True/False read as 1/0."""
    with pytest.raises(
        DataError, match=r"frequency must be one list of numbers, got an array of shape \(2, 2\)"
    ):
        bgnbd.p_alive([[1, 2], [3, 4]], [1.0, 2.0, 3.0, 4.0], 5.0)
    with pytest.raises(DataError, match=r"column 'frequency' holds True/False values, expected numbers"):
        bgnbd.p_alive(np.array([True, False]), [1.0, 0.0], 5.0)


def test_bgnbd_at_a_equal_to_one_is_the_limit_not_nan():
    """At a = 1 the BG/NBD's expectations are 0/0 (NaN before); with r = b = 1 the limit is
    E[X(t)] = ln((alpha + t) / alpha)."""
    model = BGNBD.from_params(r=1.0, alpha=2.0, a=1.0, b=1.0)
    assert model.expected_purchases_new(3.0) == pytest.approx(np.log(2.5), rel=1e-9)
    assert model.expected_purchases(3.0, 0, 0.0, 0.0) == pytest.approx(np.log(2.5), rel=1e-9)
    near = BGNBD.from_params(r=0.5, alpha=2.0, a=1.0 + 1e-4, b=1.5)
    exact = BGNBD.from_params(r=0.5, alpha=2.0, a=1.0, b=1.5)
    assert exact.expected_purchases(10.0, 2, 3.0, 8.0) == pytest.approx(
        near.expected_purchases(10.0, 2, 3.0, 8.0), rel=1e-3
    )


def test_gamma_gamma_spend_without_a_finite_mean_is_refused():
    """q <= 1: nu ~ Gamma(q, gamma) gives E[1/nu] = gamma/(q-1) only for q > 1, so the
    population mean p gamma/(q-1) does not exist (a negative number at first, then inf);
    E[M | x, m_x] = (gamma + m_x x) p/(p x + q - 1) exists only where p x + q > 1."""
    model = GammaGamma.from_params(p=1.0, q=0.5, gamma=1.0)
    with pytest.raises(DataError, match=r"q = 0\.5 is at most 1: the population mean .* does not exist"):
        _ = model.population_mean_
    with pytest.raises(DataError, match=r"p x \+ q = 0\.5 is at most 1 for 1 customers .*q = 0\.5"):
        model.expected_spend([0, 3], [0.0, 5.0])
    # where p x + q > 1 the posterior mean of 1/nu exists: (1 + 3 * 5) * 1 / (3 + 0.5 - 1)
    assert model.expected_spend(3, 5.0) == pytest.approx((1 + 15) * 1 / 2.5)
    with pytest.raises(DataError, match=r"column 'frequency' is 0 for 1 customers"):
        model.score_samples([0, 1], [0.0, 3.0])


def test_from_params_models_and_arguments_are_explained(bgnbd, cdnow):
    published = BGNBD.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    with pytest.raises(
        ModelFitError, match=r"was made with from_params: its uncertainty needs the data of a fit"
    ):
        published.summary()
    with pytest.raises(
        DataError, match=r"BGNBD.score_samples needs frequency, recency, T \(3 arrays\); got 2"
    ):
        published.score_samples([1], [1.0])
    with pytest.raises(DataError, match=r"'weights' has 3, 'histories' has 2"):
        published.log_likelihood([1, 2], [1.0, 2.0], [5.0, 5.0], weights=[1, 2, 3])
    with pytest.raises(DataError, match=r"there are no customers to fit on"):
        BGNBD().fit([1, 2], [1.0, 2.0], [5.0, 5.0], weights=[0, 0])
    with pytest.raises(DataError, match=r"there are no customers to fit on"):
        GammaGamma().fit([], [])


# --- issue 13: the models never fail silently ----------------------------------------


def _capped_minimize(monkeypatch, module, maxiter=2):
    """Cap every scipy.optimize.minimize call of ``module`` at ``maxiter`` iterations."""
    from scipy import optimize

    original = optimize.minimize

    def capped(*args, **kwargs):
        options = dict(kwargs.pop("options", None) or {})
        options["maxiter"] = maxiter
        return original(*args, options=options, **kwargs)

    monkeypatch.setattr(module, "minimize", capped)


@pytest.mark.parametrize("which", ["bgnbd", "pareto", "gamma_gamma", "bgbb"])
def test_a_fit_that_does_not_converge_is_refused(which, monkeypatch, cdnow):
    """Two optimiser iterations cannot reach the maximum: the fit must say so. The
    Pareto/NBD's was accepted before (without an analytic gradient the check read a
    gradient norm of 0)."""
    from scipy import optimize

    _capped_minimize(monkeypatch, optimize)  # the models call scipy.optimize.minimize
    rep = cdnow[cdnow["frequency"] > 0]
    d = crmlib.load_donations()
    fits = {
        "bgnbd": lambda: BGNBD().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"]),
        "pareto": lambda: ParetoNBD().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"]),
        "gamma_gamma": lambda: GammaGamma().fit(rep["frequency"], rep["monetary"]),
        "bgbb": lambda: BGBB().fit(d["frequency"], d["recency"], d["periods"], weights=d["weights"]),
    }
    with pytest.raises(ModelFitError, match=r"fit did not converge"):
        fits[which]()


@pytest.mark.parametrize("s", [0.3, 0.61, 1.0, 2.5, 8.0, 12.0, 30.0])
@pytest.mark.parametrize("delta", [1e-4, np.log(1.15) / 52, 0.05])
@pytest.mark.parametrize("beta", [1.0, 11.7, 300.0])
def test_pareto_dert_is_the_integral_of_the_discounted_transaction_rate(s, delta, beta):
    """DERT = int_0^inf e^(-delta t) dE[Y(t) | x, t_x, T]/dt dt (FHL 2005b, eq. 2), the rate
    being P(alive) (r+x)/(alpha+T) ((beta+T)/(beta+T+t))^s (note 009, eq. 26 differentiated).
    scipy's hyperu gave NaN for s >= 8 with a small delta (beta + T) before."""
    r, alpha = 0.55, 10.6
    model = ParetoNBD.from_params(r=r, alpha=alpha, s=s, beta=beta)
    for x, tx, big_t in [(0, 0.0, 38.86), (2, 30.43, 38.86), (7, 35.0, 38.0)]:
        rate = model.p_alive(x, tx, big_t) * (r + x) / (alpha + big_t)

        # t = -ln(v) / delta: a bounded integrand on (0, 1]
        def integrand(v, big_t=big_t):
            t = -np.log(v) / delta
            return (1.0 + t / (beta + big_t)) ** -s / delta

        numeric = rate * integrate.quad(integrand, 0.0, 1.0, epsabs=0.0, epsrel=1e-11, limit=500)[0]
        value = model.discounted_expected_transactions(np.expm1(delta), x, tx, big_t, period_length=1)
        assert value == pytest.approx(numeric, rel=1e-8)


def test_a_repeat_purchase_at_the_moment_of_the_first_is_refused(bgnbd, pareto):
    """x > 0 with t_x = 0 in continuous time: a repeat purchase at the first purchase's
    instant has probability 0; it was accepted (and given a P(alive)) before."""
    for model in (bgnbd, pareto):
        with pytest.raises(
            DataError, match=r"column 'recency' is 0 for 1 customers with a positive frequency"
        ):
            model.p_alive([2, 1], [0.0, 3.0], [10.0, 10.0])
        with pytest.raises(DataError, match=r"recency' is 0 for 1 customers with a positive frequency"):
            model.expected_purchases(10.0, 2, 0.0, 10.0)
        with pytest.raises(DataError, match=r"recency' is 0 for 1 customers with a positive frequency"):
            type(model)().fit([2, 1, 0], [0.0, 3.0, 0.0], [10.0, 10.0, 10.0])


def test_expected_purchases_over_no_time_are_zero(bgnbd, pareto):
    """t = 0: no purchases, 0.0 (it was -0.0)."""
    for model in (bgnbd, pareto):
        value = model.expected_purchases(0.0, 2, 30.0, 38.0)
        assert value == 0.0 and np.copysign(1.0, value) == 1.0
        assert np.all(
            np.copysign(1.0, model.expected_purchases([0.0, 0.0], [0, 3], [0.0, 5.0], [9.0, 9.0])) == 1
        )
        assert np.copysign(1.0, model.expected_purchases_new(0.0)) == 1.0


@pytest.mark.parametrize(
    "params, x, tx, big_t",
    [
        ((0.05, 10.6, 0.01, 0.01), 1000, 0.9999, 1.0),
        ((0.05, 10.6, 0.01, 0.01), 1000, 1.0, 1.0),
        ((0.05, 10.6, 0.01, 0.01), 100_000, 37.9999, 38.0),
        ((0.55, 1000.0, 0.01, 0.01), 10, 30.0, 38.0),
        ((5.0, 1000.0, 0.61, 0.01), 1000, 0.5, 1.0),
        ((0.55, 10.6, 0.61, 0.01), 10, 1e-9, 1.0),
    ],
)
def test_pareto_p_alive_of_extreme_histories_is_the_integral_over_the_death_time(params, x, tx, big_t):
    """P(alive) = 1 / (1 + s int_{t_x}^T ((alpha+T)/(alpha+tau))^(r+x) ((beta+T)/(beta+tau))^s
    / (beta+tau) dtau) (note 009: the customer died at tau between t_x and T). scipy's 2F1
    near z = 1 gave NaN for these before. mpmath is not installed in .venv: the integral,
    in log space from T backwards, is the reference."""
    r, alpha, s, beta = params
    model = ParetoNBD.from_params(r=r, alpha=alpha, s=s, beta=beta)

    def log_ratio(u):  # tau = T - u
        tau = big_t - u
        return (r + x) * np.log1p(u / (alpha + tau)) + s * np.log1p(u / (beta + tau)) - np.log(beta + tau)

    width = big_t - tx
    top = log_ratio(width)  # the integrand rises with u
    part = integrate.quad(
        lambda u: np.exp(log_ratio(u) - top), 0.0, width, epsabs=0.0, epsrel=1e-11, limit=500
    )[0]
    with np.errstate(divide="ignore"):
        log_dead = np.log(s) + top + np.log(part) if width > 0 else -np.inf
    expected = 1.0 / (1.0 + np.exp(log_dead))
    value = model.p_alive(x, tx, big_t)
    assert np.isfinite(value)
    assert value == pytest.approx(expected, rel=1e-7, abs=1e-300)


# --- issue 13, item 6: fits that do not depend on the units --------------------------


@pytest.mark.parametrize("factor", [1e6, 1e-3, 7.0])
def test_gamma_gamma_fit_does_not_depend_on_the_currency(cdnow, factor):
    """The gamma-gamma likelihood is scale-invariant: amounts c m_x give the same p and q
    and c gamma (the density of c m_x is f(m_x)/c, so LL falls by n ln c). In a currency
    with large numbers (x 10^6) the fit refused before: gamma = 1.5e7 passed for a runaway
    parameter."""
    rep = cdnow[cdnow["frequency"] > 0]
    base = GammaGamma().fit(rep["frequency"], rep["monetary"])
    scaled = GammaGamma().fit(rep["frequency"], rep["monetary"] * factor)
    assert scaled.params_["p"] == pytest.approx(base.params_["p"], rel=1e-6)
    assert scaled.params_["q"] == pytest.approx(base.params_["q"], rel=1e-6)
    assert scaled.params_["gamma"] == pytest.approx(base.params_["gamma"] * factor, rel=1e-6)
    assert scaled.log_likelihood_ == pytest.approx(base.log_likelihood_ - len(rep) * np.log(factor), rel=1e-9)
    assert scaled.log_likelihood_ == pytest.approx(
        scaled.log_likelihood(rep["frequency"], rep["monetary"] * factor), rel=1e-12
    )
    assert scaled.summary()["std_error"].to_numpy() == pytest.approx(
        base.summary()["std_error"].to_numpy() * [1, 1, factor], rel=1e-3
    )


@pytest.mark.parametrize(
    "which, factor",
    [
        (BGNBD, 7.0),
        (BGNBD, 1 / 7),
        (BGNBD, 604800.0),
        (BGNBD, 1e6),
        (ParetoNBD, 7.0),
        (ParetoNBD, 1 / 7),
        (ParetoNBD, 604800.0),
        (ParetoNBD, 1e-3),
    ],
)
def test_counting_fits_do_not_depend_on_the_time_unit(cdnow, which, factor):
    """Recency and T in days instead of weeks (x 7), or in units of 7 weeks: r, a, b (s) are
    the same, alpha (beta) scale by the factor, and LL falls by sum(x) ln c (the density of
    the purchase times). Days already passed; the BG/NBD and the Pareto/NBD refused times in
    seconds (x 604,800) before (alpha = 6.4e6 passed for a runaway parameter)."""
    base = which().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    scaled = which().fit(cdnow["frequency"], cdnow["recency"] * factor, cdnow["T"] * factor)
    for name in base.params_.index:
        expected = base.params_[name] * (factor if name in ("alpha", "beta") else 1.0)
        assert scaled.params_[name] == pytest.approx(expected, rel=1e-6), name
    shift = cdnow["frequency"].sum() * np.log(factor)
    assert scaled.log_likelihood_ == pytest.approx(base.log_likelihood_ - shift, rel=1e-9)


# --------------------------------------- one discount-rate convention (issue 13, item 5)
def test_the_discount_rate_is_discrete_per_period_everywhere():
    """A yearly 15% on weekly data is discount_rate=0.15 with period_length=52: the DERT of
    the paper's delta = ln(1.15)/52 per week (Fader, Hardie & Lee 2005b), 6.5-ish for the
    published customer, not the 0.28 that 0.15 read as delta per week gave before."""
    pareto = ParetoNBD.from_params(r=0.55, alpha=10.58, s=0.61, beta=11.67)
    bgnbd = BGNBD.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    delta = np.log(1.15) / 52
    for model in (pareto, bgnbd):
        yearly = model.discounted_expected_transactions(0.15, 2, 30.43, 38.86, period_length=52)
        paper = model.discounted_expected_transactions(np.expm1(delta), 2, 30.43, 38.86, period_length=1)
        assert yearly == pytest.approx(paper, rel=1e-12)
        assert yearly > 3  # about 5 to 7 transactions, not a fraction of one
        # 15% read as a rate per week (period_length=1) discounts far more: the old misreading
        assert model.discounted_expected_transactions(0.15, 2, 30.43, 38.86, period_length=1) < yearly / 10
    # the convention cannot be misread: without period_length the call says why
    with pytest.raises(
        DataError, match=r"period_length is missing: discount_rate is a discrete rate per period"
    ):
        pareto.discounted_expected_transactions(0.15, 2, 30.43, 38.86)
    with pytest.raises(DataError, match=r"period_length must be above 0"):
        pareto.discounted_expected_transactions(0.15, 2, 30.43, 38.86, period_length=0)


# ------------------------------------------------ the hold-out, model by model (issue 13)
def test_holdout_comparison_by_hand():
    from crmlib.models import holdout_comparison

    summary = pd.DataFrame(
        {
            "frequency": [0, 0, 2, 9],
            "recency": [0.0, 0.0, 30.0, 35.0],
            "T": [39.0, 20.0, 39.0, 38.0],
            "frequency_holdout": [0, 1, 1, 4],
            "duration_holdout": [39.0] * 4,
        }
    )
    bg = BGNBD.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    pareto = ParetoNBD.from_params(r=0.55, alpha=10.58, s=0.61, beta=11.67)
    by_frequency, overall = holdout_comparison({"BG/NBD": bg, "Pareto/NBD": pareto}, summary, max_frequency=7)
    for name, model in (("BG/NBD", bg), ("Pareto/NBD", pareto)):
        each = [
            model.expected_purchases(39.0, *row) for row in summary[["frequency", "recency", "T"]].to_numpy()
        ]
        assert by_frequency.loc[0, name] == pytest.approx((each[0] + each[1]) / 2, rel=1e-12)
        assert by_frequency.loc[7, name] == pytest.approx(each[3], rel=1e-12)  # 9 pooled into 7+
        assert by_frequency.loc[2, f"{name} error %"] == pytest.approx(100 * (each[2] - 1) / 1, rel=1e-12)
        assert overall.loc[name, "predicted"] == pytest.approx(sum(each), rel=1e-12)
        assert overall.loc[name, "actual"] == 6
        assert overall.loc[name, "error %"] == pytest.approx(100 * (sum(each) - 6) / 6, rel=1e-12)
        mae = np.mean(np.abs(np.array(each) - np.array([0, 1, 1, 4])))
        assert overall.loc[name, "MAE"] == pytest.approx(mae, rel=1e-12)
    assert by_frequency["customers"].tolist() == [2, 1, 1]
    with pytest.raises(DataError, match="models must map a name"):
        holdout_comparison([bg], summary)


def test_p_alive_check_groups_customers_by_p_alive():
    from crmlib.models import p_alive_check

    summary = pd.DataFrame(
        {
            "frequency": [1, 1, 4, 4, 2, 2],
            "recency": [1.0, 2.0, 37.0, 38.0, 10.0, 12.0],
            "T": [39.0] * 6,
            "frequency_holdout": [0, 0, 3, 0, 1, 0],
        }
    )
    model = BGNBD.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    alive = np.asarray(model.p_alive(summary["frequency"], summary["recency"], summary["T"]))
    table = p_alive_check(model, summary, bins=3)
    order = np.argsort(alive)
    for g in (1, 2, 3):
        members = order[2 * (g - 1) : 2 * g]
        assert table.loc[g, "p_alive"] == pytest.approx(alive[members].mean(), rel=1e-12)
        assert table.loc[g, "active_share"] == (summary["frequency_holdout"].to_numpy()[members] > 0).mean()
    assert table["p_alive"].is_monotonic_increasing
    with pytest.raises(DataError, match="bins must be at most 6"):
        p_alive_check(model, summary, bins=7)


# ------------------------------------------------ Gamma-Gamma's assumption, checked (issue 13)
def test_average_spend_density_is_a_density_with_the_model_mean():
    from scipy import integrate

    spend = GammaGamma.from_params(p=6.25, q=3.74, gamma=15.44)
    for x in (1, 3, 10):
        total = integrate.quad(lambda m, x=x: spend.average_spend_density(m, x), 0, np.inf)[0]
        mean = integrate.quad(lambda m, x=x: m * spend.average_spend_density(m, x), 0, np.inf)[0]
        assert total == pytest.approx(1, rel=1e-8)
        assert mean == pytest.approx(6.25 * 15.44 / (3.74 - 1), rel=1e-6)  # E[p/nu] = p gamma/(q-1)
    # against simulated average spends of customers with 3 transactions
    simulated = simulate_gamma_gamma(np.full(200_000, 3), p=6.25, q=3.74, gamma=15.44, seed=4)["monetary"]
    share = ((simulated > 20) & (simulated < 40)).mean()
    assert share == pytest.approx(
        integrate.quad(lambda m: spend.average_spend_density(m, 3), 20, 40)[0], abs=0.005
    )
    with pytest.raises(DataError, match="frequency"):
        spend.average_spend_density(30.0, 0)


def test_spend_independence_check_against_scipy_and_fisher_z():
    from scipy import stats

    from crmlib.models import spend_independence_check

    rng = np.random.default_rng(3)
    x = rng.integers(1, 10, 400)
    m = 30 + 0.8 * x + rng.normal(0, 5, 400)
    table = spend_independence_check(x, m)
    r = stats.pearsonr(x, m)[0]
    assert table.loc["pearson", "estimate"] == pytest.approx(r)
    half = 1.959964 / np.sqrt(397)
    assert table.loc["pearson", "lower"] == pytest.approx(np.tanh(np.arctanh(r) - half), rel=1e-6)
    assert table.loc["spearman", "estimate"] == pytest.approx(stats.spearmanr(x, m)[0])
    assert table.loc["pearson", "lower"] < r < table.loc["pearson", "upper"]
    with pytest.raises(DataError, match="at least 4 customers"):
        spend_independence_check([1, 2, 3], [3.0, 4.0, 5.0])
