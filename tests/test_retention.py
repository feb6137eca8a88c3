"""The sBG model of crmlib.retention: published estimates, closed forms against
series, the shape of survival and retention, parameter recovery, error paths."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlib import load_sbg_retention
from crmlib.retention import (
    MAX_PERIODS,
    ShiftedBetaGeometric,
    naive_projection,
    plot_projection,
    projection_table,
)
from crmlib.validation import DataError


@pytest.fixture(scope="module")
def published():
    return load_sbg_retention()


@pytest.fixture(scope="module")
def regular(published):
    return ShiftedBetaGeometric().fit(published["regular"][:8])


@pytest.fixture(scope="module")
def high_end(published):
    return ShiftedBetaGeometric().fit(published["high_end"][:8])


def _fitted(alpha, beta):
    """A model with given parameters, as if fitted."""
    model = ShiftedBetaGeometric()
    model.params_ = pd.Series({"alpha": alpha, "beta": beta})
    return model


# --------------------------------------------------------------- published numbers
def test_sbg_matches_fader_hardie_2007_regular_segment(regular):
    """Fader & Hardie (2007), J. Interactive Marketing 21(1): regular, years 1-7:
    alpha = 0.704, beta = 1.182."""
    assert round(regular.params_["alpha"], 3) == 0.704
    assert round(regular.params_["beta"], 3) == 1.182


def test_sbg_matches_fader_hardie_2007_high_end_segment(high_end):
    """Fader & Hardie (2007): high end, years 1-7: alpha = 0.668, beta = 3.806."""
    assert round(high_end.params_["alpha"], 3) == 0.668
    assert round(high_end.params_["beta"], 3) == 3.806


def test_the_data_are_table_1_of_fader_hardie_2007(published):
    """The shipped survivors: 1,000 per cohort; regular 631 after year 1 and 173 after
    year 12; high end 869 and 394 (Fader & Hardie 2007, Table 1)."""
    assert published["regular"].iloc[[0, 1, 12]].tolist() == [1000, 631, 173]
    assert published["high_end"].iloc[[0, 1, 12]].tolist() == [1000, 869, 394]


def test_log_likelihood_is_the_papers_sum_over_the_cohort(high_end, published):
    """LL = sum_t n_t ln P(T=t) + n_7 ln S(7), built here from the retention-rate
    recursion P(T=1) = alpha/(alpha+beta), P(T=t) = P(T=t-1)(beta+t-2)/(alpha+beta+t-1)
    (Fader & Hardie 2007, equation 7), not from the beta functions the module uses."""
    a, b = high_end.params_["alpha"], high_end.params_["beta"]
    active = published["high_end"][:8].to_numpy(dtype=float)
    p = [a / (a + b)]
    for t in range(2, 8):
        p.append(p[-1] * (b + t - 2) / (a + b + t - 1))
    survival = 1 - np.sum(p)
    expected = np.dot(-np.diff(active), np.log(p)) + active[-1] * np.log(survival)
    assert high_end.log_likelihood_ == pytest.approx(expected, rel=1e-10)
    assert high_end.log_likelihood_ < 0


@pytest.mark.parametrize("segment, published_ll", [("regular", -1680.3), ("high_end", -1611.2)])
def test_log_likelihood_matches_fader_hardie_2007(published, segment, published_ll):
    """Fader & Hardie (2007), J. Interactive Marketing 21(1): the maximised
    log-likelihood of years 1-7 is -1,680.3 for the regular segment and -1,611.2 for
    the high-end segment (an independent retention-rate recursion agrees to 0.1)."""
    model = ShiftedBetaGeometric().fit(published[segment][:8])
    assert round(model.log_likelihood_, 1) == published_ll


def test_estimates_are_the_maximum(high_end, published):
    active = published["high_end"][:8]
    a, b = high_end.params_
    assert high_end.log_likelihood(active) == pytest.approx(high_end.log_likelihood_, rel=1e-12)
    for da, db in [(0.01, 0), (-0.01, 0), (0, 0.05), (0, -0.05)]:
        moved = ShiftedBetaGeometric.from_params(alpha=a + da, beta=b + db)
        assert moved.log_likelihood(active) < high_end.log_likelihood_


def test_sbg_projects_years_8_to_12_within_a_few_percent_and_the_naive_curves_do_not(published):
    """The lesson of Fader & Hardie (2007): fitted on years 0-7, the sBG model is within
    5 % of the survivors of years 8-12; a straight line and an exponential are not."""
    for segment in ("regular", "high_end"):
        table = projection_table(published[segment], fit_periods=7)
        holdout = table.loc[8:12]
        sbg_error = (holdout["sbg"] / holdout["actual"] - 1).abs()
        assert sbg_error.max() < 0.05, segment
        for kind in ("linear", "exponential"):
            naive_error = (holdout[kind] / holdout["actual"] - 1).abs()
            assert naive_error.iloc[-1] > 0.2, (segment, kind)
            assert (holdout[kind] < holdout["actual"]).all(), "naive curves are too pessimistic"


# ------------------------------------------------------------------- properties
@settings(max_examples=40, deadline=None)
@given(st.floats(0.05, 20), st.floats(0.05, 20))
def test_survival_starts_at_one_and_falls_and_retention_rises(alpha, beta):
    model = _fitted(alpha, beta)
    t = np.arange(0, 30)
    s = model.survival(t)
    assert s[0] == pytest.approx(1.0)
    assert np.all(np.diff(s) < 0)
    r = model.retention_rate(t[1:])
    assert np.all(np.diff(r) > 0)
    assert np.all((r > 0) & (r < 1))
    # S(t) is the product of the retention rates, and P(T=t) = S(t-1) - S(t)
    np.testing.assert_allclose(s[1:], np.cumprod(r), rtol=1e-10)
    np.testing.assert_allclose(model.churn_probability(t[1:]), -np.diff(s), rtol=1e-9, atol=1e-15)


@settings(max_examples=30, deadline=None)
@given(st.floats(0.1, 10), st.floats(0.1, 10), st.floats(0.02, 0.5), st.integers(0, 15))
def test_derl_closed_form_equals_its_series(alpha, beta, d, renewals):
    """Fader & Hardie (2010), equation 6: the hypergeometric closed form against the sum
    over t >= n of S(t | T > n-1) / (1+d)^(t-n), n = renewals + 1."""
    model = _fitted(alpha, beta)
    n = renewals + 1
    t = np.arange(n, n + 4000)
    series = np.sum(model.survival(t) / model.survival(n - 1) * np.exp(-(t - n) * np.log1p(d)))
    assert model.derl(d, renewals) == pytest.approx(series, rel=1e-8)


def test_derl_rises_with_renewals_and_falls_with_the_discount_rate(regular):
    """Survivors are the better customers: each renewal raises the residual lifetime."""
    by_renewals = regular.derl(0.1, np.arange(0, 10))
    assert np.all(np.diff(by_renewals) > 0)
    assert regular.derl(0.05, 3) > regular.derl(0.10, 3) > regular.derl(0.20, 3)


def test_derl_of_a_homogeneous_cohort_is_the_geometric_annuity():
    """With no heterogeneity (alpha, beta large, theta fixed), DERL = r / (1 - r/(1+d))
    for every customer, whatever her renewals: the 'perils of ignoring heterogeneity'
    (Fader & Hardie 2010) are that this is the same for all."""
    theta, d = 0.2, 0.1
    model = _fitted(theta * 1e5, (1 - theta) * 1e5)
    r = 1 - theta
    for renewals in (0, 5):
        assert model.derl(d, renewals) == pytest.approx(r / (1 - r / (1 + d)), rel=1e-3)


def test_parameter_recovery_on_simulated_cohort():
    """Simulate 20,000 customers with theta ~ beta(0.9, 2.5); the fit recovers both."""
    rng = np.random.default_rng(2007)
    theta = rng.beta(0.9, 2.5, size=20_000)
    lifetime = rng.geometric(theta)
    active = [(lifetime > t).sum() for t in range(0, 13)]
    model = ShiftedBetaGeometric().fit(active)
    assert model.params_["alpha"] == pytest.approx(0.9, rel=0.1)
    assert model.params_["beta"] == pytest.approx(2.5, rel=0.1)
    errors = model.summary()["std_error"]
    assert ((errors > 0) & (errors < 0.5)).all()


def test_repr_and_summary(high_end):
    assert repr(ShiftedBetaGeometric()) == "ShiftedBetaGeometric()"
    assert repr(high_end) == "ShiftedBetaGeometric(alpha=0.668, beta=3.806)"
    summary = high_end.summary()
    assert list(summary.index) == ["alpha", "beta"]
    assert (summary["std_error"] > 0).all()


def test_naive_exponential_is_a_constant_retention_rate():
    projected = naive_projection([1000, 800, 640, 512, 410], horizon=8)
    ratios = projected[2:] / projected[1:-1]
    assert np.allclose(ratios, ratios[0])


def test_naive_linear_is_cut_at_zero(published):
    projected = naive_projection(published["regular"][:8], horizon=12, kind="linear")
    assert projected.min() == 0
    assert projected[0] == 1000


# ------------------------------------------------------------------ error paths
@pytest.mark.parametrize(
    "active, message",
    [
        ([1000], r"active has 1 value\(s\): it needs the cohort size"),
        ([1000, 900, 950], r"active rises from t = 1 to t = 2 \(900 -> 950\)"),
        ([1000, -5], r"active has negative counts \(at t = 1\)"),
        ([1.0, 0.8, 0.6], r"active holds fractions: pass numbers of customers"),
        ([0, 0], r"the cohort size, must be positive"),
        ([1000, np.nan], r"active holds 1 missing or infinite values"),
        ([1000, 1000, 1000], r"active never falls: nobody has left yet"),
        ([[1000, 900], [1000, 800]], r"active must be one list of numbers, got an array of shape \(2, 2\)"),
        (["a", "b"], r"active must be numbers, got a value that is not \('a'\)"),
        ({"t0": 1000}, r"active must be one sequence of numbers"),
        (pd.DataFrame({"a": [1000, 900]}), r"active must be numbers \(a list, an array or a Series\)"),
        ([True, False], r"active must be numbers, got a value that is not \(True\)"),
    ],
)
def test_bad_active_is_explained(active, message):
    with pytest.raises(DataError, match=message):
        ShiftedBetaGeometric().fit(active)


def test_unfitted_model_and_bad_arguments_are_explained(regular):
    with pytest.raises(DataError, match=r"not fitted yet: call .fit\(active\) first"):
        ShiftedBetaGeometric().survival(3)
    with pytest.raises(DataError, match=r"t must be at least 1, got"):
        regular.retention_rate(0)
    with pytest.raises(DataError, match=r"t must be whole numbers, got"):
        regular.survival(1.5)
    with pytest.raises(DataError, match=r"t must be numbers, got a value that is not \('a'\)"):
        regular.churn_probability(["a", "b"])
    with pytest.raises(DataError, match=r"discount_rate must be below 1, got 10 \(give rates as fractions"):
        regular.derl(10, 2)
    with pytest.raises(DataError, match=r"discount_rate must be above 0, got 0"):
        regular.derl(0, 2)
    with pytest.raises(DataError, match=r"discount_rate must be a number, got a NoneType None"):
        regular.derl(None, 2)
    with pytest.raises(DataError, match=r"renewals must be at least 0, got"):
        regular.derl(0.1, -1)
    with pytest.raises(DataError, match=r"renewals must be numbers, got a value that is not \('a'\)"):
        regular.derl(0.1, ["a", "b"])
    with pytest.raises(
        DataError, match=r"kind must be one of 'linear', 'quadratic', 'exponential'; got 'cubic'"
    ):
        naive_projection([1000, 800, 700], horizon=5, kind="cubic")
    with pytest.raises(DataError, match=r"horizon must be at least 2, got 1"):
        naive_projection([1000, 800, 700], horizon=1)
    with pytest.raises(DataError, match=r"horizon must be a whole number, got a NoneType None"):
        naive_projection([1000, 800, 700], horizon=None)
    with pytest.raises(DataError, match=r"fit_periods must be at most 12, the last period of active, got 13"):
        projection_table(load_sbg_retention()["regular"], fit_periods=13)
    with pytest.raises(DataError, match=r"fit_periods must be a whole number, got a NoneType None"):
        projection_table(load_sbg_retention()["regular"], fit_periods=None)
    with pytest.raises(
        DataError, match=r"kinds must be one of 'linear', 'quadratic', 'exponential'; got 'cubic'"
    ):
        projection_table(load_sbg_retention()["regular"], fit_periods=7, kinds=("linear", "cubic"))


def test_a_huge_horizon_is_refused_by_its_cap():
    """Issue 10: naive_projection(horizon=10**9) filled the memory; the cap is MAX_PERIODS."""
    assert MAX_PERIODS == 10_000
    with pytest.raises(DataError, match=r"horizon must be at most 10,000, got 1,000,000,000: a larger value"):
        naive_projection([1000, 800, 700], horizon=10**9)
    assert naive_projection([1000, 800, 700], horizon=MAX_PERIODS).size == MAX_PERIODS + 1


def test_a_single_curve_name_is_one_kind():
    table = projection_table(load_sbg_retention()["regular"], fit_periods=7, kinds="exponential")
    assert list(table.columns) == ["actual", "sbg", "exponential", "fitted"]


def test_from_params_takes_an_optional_cohort_size(published):
    """Issue 10: from_params(...).expected_active(t) raised AttributeError (cohort_size_ was
    only set by fit). The cohort size is now an optional argument of from_params; without
    it, expected_active says what it needs, and the shares still work."""
    shares_only = ShiftedBetaGeometric.from_params(alpha=0.704, beta=1.182)
    with pytest.raises(DataError, match=r"expected_active counts customers, so it needs the cohort size"):
        shares_only.expected_active(3)
    share = shares_only.survival(3)
    counted = ShiftedBetaGeometric.from_params(alpha=0.704, beta=1.182, cohort_size=1000)
    assert counted.expected_active(3) == pytest.approx(1000 * share)
    fitted = ShiftedBetaGeometric().fit(published["regular"][:8])
    assert fitted.cohort_size_ == 1000
    with pytest.raises(DataError, match=r"cohort_size must be at least 1, got 0"):
        ShiftedBetaGeometric.from_params(alpha=0.7, beta=1.2, cohort_size=0)
    with pytest.raises(DataError, match=r"cohort_size must be a whole number, got 2.5"):
        ShiftedBetaGeometric.from_params(alpha=0.7, beta=1.2, cohort_size=2.5)
    with pytest.raises(DataError, match=r"alpha must be a finite number, got nan"):
        ShiftedBetaGeometric.from_params(alpha=np.nan, beta=1.2)
    with pytest.raises(DataError, match=r"summary needs the data of a fit"):
        counted.summary()


def test_plot_projection_refuses_what_is_not_its_table():
    """Issue 10: a list instead of the table raised a raw TypeError."""
    table = projection_table(load_sbg_retention()["regular"], fit_periods=7)
    with pytest.raises(DataError, match=r"table must be a pandas DataFrame, got list"):
        plot_projection(table.to_dict("records"))
    with pytest.raises(DataError, match=r"column 'fitted' of table must hold True/False values"):
        plot_projection(table.assign(fitted=table["fitted"].map({True: "True", False: "False"})))
    with pytest.raises(DataError, match=r"table must be indexed by period \(numbers\)"):
        plot_projection(table.set_axis([f"year {t}" for t in table.index]))


def test_standard_errors_the_data_cannot_give_are_nan_with_a_warning():
    """A constant retention rate (no heterogeneity): alpha and beta run off together and the
    curvature defines no standard error; summary says so instead of an unexplained NaN."""
    model = ShiftedBetaGeometric().fit([1000, 500, 250, 125, 62])
    with pytest.warns(UserWarning, match=r"no standard error for alpha, beta: .* \(std_error is NaN\)"):
        summary = model.summary()
    assert summary["std_error"].isna().all()


def test_derl_refuses_a_discount_rate_too_small_to_sum():
    """A silent wrong answer before: with alpha <= 1 and a rate of 1e-300 the closed form is
    infinite and the series was cut off after 2,000,000 periods (267 instead of ~1e90)."""
    model = ShiftedBetaGeometric.from_params(alpha=0.7, beta=1.2)
    with pytest.raises(DataError, match=r"discount_rate 1e-300 is too small for this model"):
        model.derl(1e-300, [0, 1])
    assert np.isfinite(model.derl(1e-3, [0, 1])).all()


def test_a_fit_that_does_not_converge_is_refused(published, monkeypatch):
    """Two Nelder-Mead iterations cannot reach the maximum: the fit said nothing before."""
    from crmlib.models import ModelFitError, sbg

    original = sbg.minimize

    def capped(*args, **kwargs):
        kwargs["options"] = {**kwargs.get("options", {}), "maxiter": 2}
        return original(*args, **kwargs)

    monkeypatch.setattr(sbg, "minimize", capped)
    with pytest.raises(ModelFitError, match=r"fit did not converge"):
        ShiftedBetaGeometric().fit(published["regular"][:8])


# ------------------------------------------ issue 13: DEL of a new customer
def test_del_of_a_new_regular_customer_is_the_published_3_695(regular):
    """Fader & Hardie (2010): the expected lifetime of a new customer of the regular segment
    (alpha = 0.704, beta = 1.182), discounted at 10 %, counting the first payment: 3.695."""
    assert round(regular.discounted_expected_lifetime(0.10), 3) == 3.695
    published = ShiftedBetaGeometric.from_params(alpha=0.704, beta=1.182)
    assert round(published.discounted_expected_lifetime(0.10), 3) == 3.695


@settings(max_examples=30, deadline=None)
@given(st.floats(0.1, 10), st.floats(0.1, 10), st.floats(0.02, 0.5))
def test_del_is_the_discounted_sum_of_the_survival_function(alpha, beta, d):
    """DEL = sum_{t>=0} S(t) / (1+d)^t with S(t) = B(alpha, beta + t) / B(alpha, beta),
    written here with the retention rates: S(t) = prod_{i=1}^t (beta+i-1)/(alpha+beta+i-1);
    the tail after 4,000 terms is below (1+d)^-4000."""
    model = _fitted(alpha, beta)
    t = np.arange(1, 4000)
    survival = np.concatenate([[1.0], np.cumprod((beta + t - 1) / (alpha + beta + t - 1))])
    series = np.sum(survival * np.exp(-np.arange(4000) * np.log1p(d)))
    assert model.discounted_expected_lifetime(d) == pytest.approx(series, rel=1e-8)
    # the first payment, then the discounted residual lifetime of a customer about to
    # make her first renewal decision (renewals = 0)
    assert model.discounted_expected_lifetime(d) == pytest.approx(1 + model.derl(d, 0) / (1 + d), rel=1e-10)


def test_del_of_a_homogeneous_cohort_is_the_geometric_annuity():
    """theta fixed at 0.2 (alpha, beta large): DEL = sum_t (1-theta)^t / (1+d)^t = (1+d)/(d+theta)."""
    theta, d = 0.2, 0.1
    model = _fitted(theta * 1e5, (1 - theta) * 1e5)
    assert model.discounted_expected_lifetime(d) == pytest.approx((1 + d) / (d + theta), rel=1e-3)
    assert _fitted(theta * 1e9, (1 - theta) * 1e9).discounted_expected_lifetime(d) == pytest.approx(
        (1 + d) / (d + theta), rel=1e-6
    )


def test_del_refuses_a_bad_discount_rate_and_an_unfitted_model(regular):
    for bad in (0, 1, 10, -0.1, np.nan):
        with pytest.raises(DataError, match="discount_rate"):
            regular.discounted_expected_lifetime(bad)
    with pytest.raises(DataError, match="not fitted"):
        ShiftedBetaGeometric().discounted_expected_lifetime(0.1)


def test_plot_projection_names_every_drawn_element_in_the_legend(published):
    import matplotlib

    matplotlib.use("Agg")
    import crmlib
    from crmlib.retention import plot_projection, projection_table

    table = projection_table(published["regular"], 7)
    ax = plot_projection(table)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert crmlib.term("end_of_fitting") in labels and crmlib.term("actual") in labels
    assert len(labels) == len([line for line in ax.lines if not line.get_label().startswith("_")]) + 1
