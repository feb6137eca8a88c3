"""Tests of the synthetic demo company (crmlib.synthetic, datasets/demo).

Every structural claim of the data card (datasets/demo/README.md) is checked
here on the shipped CSV files, with pandas only, so a chapter that relies on
the structure can trust it.
"""

import dataclasses
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import crmlib.synthetic as synthetic
from crmlib.synthetic import DEMO_SEED, LABELS_FILE, OBSERVATION_END, TABLES, check_demo, generate_demo
from crmlib.validation import DataError

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "datasets" / "demo"
INCOME_ORDER = {"<5k": 0, "5k-10k": 1, "10k-20k": 2, "20k-40k": 3, ">40k": 4}


@pytest.fixture(scope="module")
def demo() -> dict[str, pd.DataFrame]:
    return {
        name: pd.read_csv(DEMO / f"{name}.csv", parse_dates=spec["dates"]) for name, spec in TABLES.items()
    }


@pytest.fixture(scope="module")
def customers(demo) -> pd.DataFrame:
    """Customers joined with their truth and their observed order count and margin."""
    orders = demo["orders"]
    frame = demo["customers"].merge(demo["truth"], on="customer_id")
    frame["n_orders"] = frame["customer_id"].map(orders.groupby("customer_id").size()).fillna(0)
    frame["margin"] = frame["customer_id"].map(orders.groupby("customer_id")["margin"].sum()).fillna(0.0)
    return frame


@pytest.fixture(scope="module")
def sessions(demo) -> pd.DataFrame:
    events = demo["web_events"].assign(bought=lambda e: e["event"] == "purchase")
    return events.groupby("session_id").agg(
        channel=("channel", "first"),
        campaign=("campaign", "first"),
        customer_id=("customer_id", "first"),
        bought=("bought", "any"),
    )


# ---------------------------------------------------------------- files and API
def test_every_table_has_a_file_and_a_unique_key(demo):
    for name, spec in TABLES.items():
        assert set(spec) >= {"description", "dates", "key"}
        frame = demo[name]
        assert len(frame) > 0, name
        for column in spec["dates"]:
            assert pd.api.types.is_datetime64_any_dtype(frame[column]), (name, column)
        if spec["key"] is not None:
            assert frame[spec["key"]].is_unique, name
            assert frame[spec["key"]].notna().all(), name


def test_demo_folder_is_small_and_has_a_data_card():
    total = sum(p.stat().st_size for p in DEMO.glob("*"))
    assert total < 15_000_000
    card = (DEMO / "README.md").read_text(encoding="utf-8")
    for name in TABLES:
        assert f"{name}.csv" in card


def test_check_passes_on_the_shipped_files():
    result = subprocess.run(
        [sys.executable, "-m", "crmlib.synthetic", "--check"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK")


def test_check_reports_changed_missing_and_extra_files(tmp_path):
    folder = tmp_path / "demo"
    shutil.copytree(DEMO, folder)
    with open(folder / "orders.csv", "a", encoding="utf-8") as handle:
        handle.write("O999999,C00001,2024-12-31,web,,1.0,0.5,0.5\n")
    (folder / "survey.csv").unlink()
    (folder / "stray.csv").write_text("a\n1\n", encoding="utf-8")
    assert check_demo(folder) == ["orders.csv", "stray.csv", "survey.csv"]
    result = subprocess.run(
        [sys.executable, "-m", "crmlib.synthetic", "--check", "--out", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert "orders.csv" in result.stdout


def test_generation_is_deterministic_and_depends_on_the_seed():
    first, second = generate_demo(), generate_demo()
    assert list(first) == list(TABLES)
    for name in TABLES:
        pd.testing.assert_frame_equal(first[name], second[name])
    other = generate_demo(seed=DEMO_SEED + 1)
    assert not other["orders"].equals(first["orders"])
    assert not other["customers"].equals(first["customers"])


@pytest.mark.parametrize("seed", [-1, 1.5, "7", True])
def test_bad_seed_is_refused(seed):
    with pytest.raises(DataError, match="seed must be a non-negative integer"):
        generate_demo(seed)


#: The row counts of the seeded demo company (DEMO_SEED), as its data card states them.
#: Pinned exactly: any change to the generator that moves one of them must be
#: deliberate, with the data card, the notebooks and this table updated together.
SEEDED_ROWS = {
    "customers": 5_000,
    "products": 48,
    "orders": 33_891,
    "order_lines": 74_293,
    "web_events": 104_813,
    "survey": 1_800,
    "tickets": 1_818,
    "calls": 14_325,
    "opportunities": 371,
    "truth": 5_000,
    "marketing_spend": 247,
    "category_wallets": 15_707,
    "retention_campaign": 2_427,
    "contacts": 5_000,
    "opportunity_stages": 1_438,
}


def test_seeded_sizes_are_pinned(demo):
    assert {name: len(frame) for name, frame in demo.items()} == SEEDED_ROWS


def test_seeded_structure_counts_are_pinned(demo):
    customers = demo["customers"]
    truth = demo["truth"]
    assert customers["customer_type"].value_counts().to_dict() == {"B2C": 4_810, "B2B": 190}
    assert int(truth["key_account"].sum()) == 30
    assert int((customers["signup_date"] == "2022-01-04").sum()) == 72
    never = ~customers["customer_id"].isin(demo["orders"]["customer_id"])
    assert int(never.sum()) == 764


def test_data_card_states_the_shipped_row_counts(demo):
    """Each file's heading in datasets/demo/README.md gives its rows: the same as the file."""
    card = (DEMO / "README.md").read_text(encoding="utf-8")
    stated = {
        name: int(rows.replace(",", ""))
        for name, rows in re.findall(r"^### (\w+)\.csv — ([\d,]+) rows", card, flags=re.M)
    }
    labels = len(pd.read_csv(DEMO / LABELS_FILE))
    assert stated == {**{name: len(frame) for name, frame in demo.items()}, "value_labels": labels}


def test_keys_and_dates_are_consistent(demo):
    ids = set(demo["customers"]["customer_id"])
    for name in ("orders", "tickets", "survey", "opportunities", "truth"):
        assert set(demo[name]["customer_id"]) <= ids, name
    assert set(demo["web_events"]["customer_id"].dropna()) <= ids
    assert set(demo["calls"]["customer_id"].dropna()) <= ids
    assert set(demo["order_lines"]["order_id"]) == set(demo["orders"]["order_id"])
    assert set(demo["order_lines"]["product_id"]) <= set(demo["products"]["product_id"])
    assert set(demo["calls"]["ticket_id"].dropna()) <= set(demo["tickets"]["ticket_id"])
    end = OBSERVATION_END + pd.Timedelta(days=1)
    for name, column in [
        ("orders", "order_date"),
        ("web_events", "timestamp"),
        ("tickets", "opened_at"),
        ("tickets", "closed_at"),
        ("calls", "call_start"),
        ("customers", "signup_date"),
    ]:
        values = demo[name][column].dropna()
        assert values.min() >= pd.Timestamp("2022-01-01") and values.max() < end, (name, column)
    orders = demo["orders"].merge(demo["customers"][["customer_id", "signup_date"]])
    assert (orders["order_date"] >= orders["signup_date"]).all()


def test_amounts_add_up_and_are_not_negative(demo):
    lines, orders = demo["order_lines"], demo["orders"]
    for column in ("quantity", "unit_price", "discount", "revenue", "cost"):
        assert (lines[column] >= 0).all(), column
    expected = (lines["quantity"] * lines["unit_price"] * (1 - lines["discount"])).round(2)
    assert np.allclose(lines["revenue"], expected, atol=0.011)
    sums = lines.groupby("order_id")[["revenue", "cost"]].sum().loc[orders["order_id"]]
    assert np.allclose(orders["revenue"], sums["revenue"], atol=0.011)
    assert np.allclose(orders["cost"], sums["cost"], atol=0.011)
    assert np.allclose(orders["margin"], orders["revenue"] - orders["cost"], atol=0.011)
    products = demo["products"]
    assert (products["unit_cost"] < products["unit_price"]).all()


# ---------------------------------------------------------------- planted structure
def test_value_is_concentrated_in_the_top_fifth(customers):
    margin = customers.loc[customers["n_orders"] > 0, "margin"].sort_values(ascending=False)
    top = margin.head(int(0.2 * len(margin))).sum() / margin.sum()
    assert top > 0.55


def test_key_accounts_are_few_large_and_in_the_pipeline(demo, customers):
    key = customers[customers["key_account"]]
    assert 0 < len(key) <= 0.01 * len(customers)
    assert (key["customer_type"] == "B2B").all()
    assert key["margin"].sum() / customers["margin"].sum() > 0.2
    assert set(key["customer_id"]) <= set(demo["opportunities"]["customer_id"])
    b2b = customers["customer_type"] == "B2B"
    assert b2b.mean() < 0.06
    assert set(demo["opportunities"]["customer_id"]) <= set(customers.loc[b2b, "customer_id"])
    assert customers.loc[b2b, "company_name"].notna().all()
    assert customers.loc[~b2b, "company_name"].isna().all()


def test_repeat_purchasing_is_heterogeneous_and_overdispersed(customers):
    buyers = customers[(customers["customer_type"] == "B2C") & (customers["n_orders"] > 0)]
    repeats = buyers["n_orders"] - 1
    assert repeats.var() / repeats.mean() > 3
    assert (repeats == 0).mean() > 0.15
    rates = buyers["purchase_rate_per_week"]
    assert rates.std() / rates.mean() > 0.7


def test_dead_customers_stop_buying_after_their_dropout(demo, customers):
    last = demo["orders"].groupby("customer_id")["order_date"].max()
    dead = customers[customers["dropout_date"].notna()].set_index("customer_id")
    assert len(dead) > 500
    assert (last.reindex(dead.index) <= dead["dropout_date"]).all()
    assert (customers["alive_at_end"] == (customers["dropout_date"].isna() & ~customers["never_buys"])).all()
    assert set(customers["dropout_cause"].dropna()) == {"attrition", "complaint"}
    assert (customers.loc[customers["never_buys"], "n_orders"] == 0).all()


def test_satisfied_customers_drop_out_less(customers):
    active = customers[
        (customers["customer_type"] == "B2C")
        & ~customers["never_buys"]
        & (customers["signup_date"] < "2024-01-01")
    ]
    tercile = pd.qcut(active["latent_satisfaction"], 3, labels=["low", "mid", "high"])
    alive = active.groupby(tercile, observed=True)["alive_at_end"].mean()
    assert alive["high"] - alive["low"] > 0.1
    assert alive["low"] < alive["mid"] < alive["high"]


def test_survey_satisfaction_predicts_later_dropout(demo):
    survey = demo["survey"].merge(demo["truth"], on="customer_id")
    left = survey["dropout_date"].notna() & (survey["dropout_date"] > survey["survey_date"])
    assert (survey["dropout_date"].isna() | (survey["dropout_date"] > survey["survey_date"])).all()
    low = left[survey["overall_satisfaction"] <= 3].mean()
    high = left[survey["overall_satisfaction"] >= 6].mean()
    assert low - high > 0.08


def test_well_resolved_complaints_keep_customers(demo, customers):
    tickets = demo["tickets"]
    resolution = tickets.groupby("customer_id")["resolution"]
    any_unresolved = resolution.apply(lambda r: bool((r == "unresolved").any()))
    all_satisfied = resolution.apply(lambda r: bool((r == "resolved_satisfied").all()))
    alive = customers.set_index("customer_id")["alive_at_end"]
    unresolved_alive = alive[any_unresolved[any_unresolved].index].mean()
    satisfied_alive = alive[all_satisfied[all_satisfied].index].mean()
    assert satisfied_alive - unresolved_alive > 0.2
    # The same seen without the truth: did they order again after the complaint?
    orders = demo["orders"]
    last_order = orders.groupby("customer_id")["order_date"].max()
    first_ticket = tickets.groupby("customer_id")["opened_at"].min().dt.normalize()
    again = last_order.reindex(first_ticket.index) > first_ticket
    assert again[all_satisfied].mean() - again[any_unresolved].mean() > 0.1


def test_channels_and_campaigns_convert_differently(sessions):
    by_channel = sessions.groupby("channel")["bought"].mean()
    assert by_channel.max() / by_channel.min() > 3
    assert by_channel["email"] > by_channel["display"]
    assert by_channel["referral"] > by_channel["display"]
    by_campaign = sessions.dropna(subset=["campaign"]).groupby("campaign")["bought"].mean()
    assert len(by_campaign) >= 5
    assert by_campaign.max() / by_campaign.min() > 3
    assert 0.3 < sessions["customer_id"].isna().mean() < 0.9


def test_sessions_reach_a_prefix_of_the_funnel(demo):
    events = demo["web_events"]
    stage = events["event"].map({"visit": 0, "browse": 1, "add_to_cart": 2, "purchase": 3})
    assert stage.notna().all()
    position = events.groupby("session_id").cumcount()
    assert (stage == position).all()
    assert (events.groupby("session_id")["timestamp"].diff().dropna() >= pd.Timedelta(0)).all()
    reached = stage.groupby(events["session_id"]).max().value_counts().sort_index()
    assert (np.diff(reached.to_numpy()) < 0).all()  # fewer sessions at each later stage
    assert events["timestamp"].min() >= pd.Timestamp("2024-01-01")


def test_latent_segments_differ_in_profile_and_behaviour(customers):
    b2c = customers[customers["customer_type"] == "B2C"].copy()
    b2c["income"] = b2c["income_band"].map(INCOME_ORDER)
    profile = b2c.groupby("latent_segment")[["age", "income", "purchase_rate_per_week"]].mean()
    assert 3 <= len(profile) <= 5
    assert profile["age"].max() - profile["age"].min() > 10
    assert profile["income"].max() - profile["income"].min() > 1
    rate = profile["purchase_rate_per_week"]
    assert rate.max() / rate.min() > 3
    orders = customers.groupby("latent_segment")["n_orders"].mean()
    assert orders.max() / orders.min() > 3


def test_orders_peak_in_the_fourth_quarter_and_on_double_11(demo):
    dates = demo["orders"]["order_date"]
    by_month = dates.dt.month.value_counts().sort_index()
    assert by_month[[10, 11, 12]].mean() > 1.15 * by_month[[5, 6, 7, 8]].mean()
    daily = dates.value_counts()
    for year in (2022, 2023, 2024):
        same_year = daily[daily.index.year == year]
        assert same_year[pd.Timestamp(f"{year}-11-11")] > 2.5 * same_year.median()
    assert by_month[2] < by_month[[3, 4, 5]].mean()  # Chinese New Year dip


def test_lifecycle_cohorts_prospects_and_ramp_up(demo, customers):
    quarters = customers["signup_date"].dt.to_period("Q").value_counts()
    assert len(quarters) == 12 and quarters.min() > 150
    prospects = (customers["n_orders"] == 0).mean()
    assert 0.05 < prospects < 0.25
    # Exploration -> familiarity: fewer orders per week in the first 8 weeks than later.
    orders = demo["orders"]
    first = orders.groupby("customer_id")["order_date"].min()
    survived = customers.loc[
        ~customers["key_account"]
        & (customers["dropout_date"].isna() | (customers["dropout_date"] > "2023-12-31")),
        "customer_id",
    ]
    cohort = first[(first < "2023-06-30") & first.index.isin(survived)]
    weeks = (orders["order_date"] - orders["customer_id"].map(cohort)).dt.days / 7
    weeks = weeks[orders["customer_id"].isin(cohort.index)]
    early = ((weeks > 0) & (weeks <= 8)).sum() / 8
    later = ((weeks > 8) & (weeks <= 26)).sum() / 18
    assert early < 0.85 * later


def test_baskets_hold_cross_sell_pairs_and_an_upsell_ladder(demo):
    lines = demo["order_lines"].merge(demo["products"], on="product_id")
    basket = pd.crosstab(lines["order_id"], lines["product_line"]).clip(upper=1).astype(bool)
    support = basket.mean()
    for a, b in [
        ("Coffee Machine", "Coffee Beans"),
        ("Infant Formula", "Diapers"),
        ("Ink Cartridge", "Printer Paper"),
    ]:
        lift = (basket[a] & basket[b]).mean() / (support[a] * support[b])
        assert lift > 2, (a, b, lift)
    lift = (basket["Coffee Machine"] & basket["Diapers"]).mean() / (
        support["Coffee Machine"] * support["Diapers"]
    )
    assert lift < 1
    assert set(demo["products"]["tier"]) == {"basic", "standard", "premium"}
    orders = demo["orders"].sort_values(["customer_id", "order_date", "order_id"])
    number = orders.groupby("customer_id").cumcount().rename("number")
    lines = lines.merge(orders[["order_id"]].join(number), on="order_id")
    premium = lines["tier"].eq("premium").groupby(lines["number"] >= 5).mean()
    assert premium[True] > premium[False] + 0.05


def test_survey_attributes_differ_in_gap_and_importance(demo):
    survey = demo["survey"]
    gap = {
        a: (survey[f"perc_{a}"] - survey[f"exp_{a}"]).mean()
        for a in ("product_quality", "delivery_speed", "responsiveness", "personalization", "care")
    }
    assert gap["delivery_speed"] < -0.5 and gap["personalization"] < -0.5
    assert gap["product_quality"] > -0.3
    corr = {a: survey[f"perc_{a}"].corr(survey["overall_satisfaction"]) for a in gap}
    assert corr["product_quality"] > corr["personalization"] + 0.15
    for column in ["sat_product", "sat_relationship", "overall_satisfaction", "relative_attitude"] + [
        f"exp_{a}" for a in gap
    ]:
        assert survey[column].between(1, 7).all(), column
    assert survey["recommend"].between(0, 10).all()
    assert survey["sat_product"].corr(survey["sat_relationship"]) < 0.8  # four cells exist


def test_calls_follow_a_daily_and_weekly_pattern(demo):
    calls = demo["calls"]
    by_day = calls["call_start"].dt.dayofweek.value_counts()
    assert by_day[0] > 1.5 * by_day[6]
    by_hour = calls["call_start"].dt.hour.value_counts()
    assert by_hour[10] > 2 * by_hour[8]
    assert set(by_hour.index) <= set(range(8, 22))
    abandoned = calls["outcome"] == "abandoned"
    assert (calls.loc[abandoned, "handle_seconds"] == 0).all()
    assert 0.02 < abandoned.mean() < 0.2
    assert (calls["wait_seconds"] >= 0).all()


def test_tickets_and_opportunities_are_well_formed(demo):
    tickets = demo["tickets"]
    assert set(tickets["resolution"]) <= {"resolved_satisfied", "resolved", "unresolved", "open"}
    closed = tickets["closed_at"].notna()
    assert (tickets.loc[closed, "closed_at"] >= tickets.loc[closed, "opened_at"]).all()
    assert (tickets.loc[~closed, "resolution"] == "open").all()
    opportunities = demo["opportunities"]
    closed = opportunities["stage"].isin(["closed_won", "closed_lost"])
    assert opportunities.loc[closed, "close_date"].notna().all()
    assert opportunities.loc[~closed, "close_date"].isna().all()
    assert opportunities.loc[~closed, "expected_close_date"].notna().all()
    assert (opportunities.loc[closed, "close_date"] >= opportunities.loc[closed, "created_date"]).all()
    assert set(opportunities["stage"]) == {
        "prospecting",
        "qualification",
        "proposal",
        "negotiation",
        "closed_won",
        "closed_lost",
    }
    assert opportunities.groupby("stage")["probability"].nunique().eq(1).all()


def test_check_of_a_missing_folder_lists_every_file(tmp_path):
    assert check_demo(tmp_path / "nowhere") == sorted([f"{name}.csv" for name in TABLES] + [LABELS_FILE])
    (tmp_path / "file.csv").write_text("x\n", encoding="utf-8")
    with pytest.raises(DataError, match="is a file"):
        check_demo(tmp_path / "file.csv")


def test_order_lines_are_numbered_within_their_order(demo):
    lines = demo["order_lines"]
    assert not lines.duplicated(["order_id", "line_no"]).any()
    assert (lines["line_no"] == lines.groupby("order_id").cumcount() + 1).all()


# ---------------------------------------------------------------- the configuration
def test_the_configuration_is_one_frozen_object():
    with pytest.raises(dataclasses.FrozenInstanceError):
        synthetic.DEMO.n_customers = 10
    with pytest.raises(TypeError):
        synthetic.DEMO.latent_segments["value_seeker"]["share"] = 0.5
    assert (synthetic.DEMO.seed, synthetic.DEMO.observation_end) == (DEMO_SEED, OBSERVATION_END)
    # (the CSV format settings _TIMESTAMP_COLUMNS and _DECIMALS are not numbers of the model)
    constants = [
        n for n, v in vars(synthetic).items() if n.isupper() and not n.startswith("_") and not callable(v)
    ]
    assert set(constants) <= {
        "DEMO",
        "DEMO_SEED",
        "WINDOW_START",
        "OBSERVATION_END",
        "TABLES",
        "CARD_BEGIN",
        "CARD_END",
        "CHINESE_NAMES",  # names, not numbers: the Chinese of the names DemoConfig holds
        "LABELS_FILE",
    }, "a number of the model belongs in DemoConfig"


def test_a_variant_configuration_makes_another_company():
    small = dataclasses.replace(synthetic.DEMO, n_customers=400, n_key_accounts=3)
    tables = generate_demo(config=small)
    assert len(tables["customers"]) == 400
    assert int(tables["truth"]["key_account"].sum()) == 3
    with pytest.raises(DataError, match="config must be a DemoConfig"):
        generate_demo(config={"n_customers": 10})


def test_the_documented_numbers_are_read_from_the_configuration():
    variant = dataclasses.replace(synthetic.DEMO, ticket_rate=0.0731, n_customers=4321, p_recovery=0.37)
    for text in (synthetic.describe_model(variant), synthetic.card_model_summary(variant)):
        assert "0.0731" in text and "0.37" in text
        assert "0.055" not in text
    assert "4,321 accounts" in synthetic.describe_model(variant)
    assert synthetic.describe_model(synthetic.DEMO) in synthetic.__doc__


def test_the_data_card_summary_is_the_one_the_configuration_writes(tmp_path):
    card = (REPO / "datasets" / "demo" / "README.md").read_text(encoding="utf-8")
    assert synthetic.card_model_summary(synthetic.DEMO) in card
    for name in [*(f"{name}.csv" for name in TABLES), LABELS_FILE]:
        shutil.copy(REPO / "datasets" / "demo" / name, tmp_path / name)
    (tmp_path / "README.md").write_text(card.replace("0.055·", "0.06·"), encoding="utf-8")
    assert check_demo(tmp_path) == ["README.md"]


# ---------------------------------------------------------------- chapters 07 and 08: spend, wallets, a campaign
def test_spend_per_signup_recovers_each_channels_true_cost(demo):
    """Always-on spend / signups per channel is the configured cost per signup, within the noise."""
    spend = demo["marketing_spend"]
    always_on = spend[spend["campaign"].isna()].groupby("channel")["spend"].sum()
    signups = demo["customers"]["signup_channel"].value_counts()
    per_signup = always_on / signups
    for channel, cost in synthetic.DEMO.acquisition_cost.items():
        assert per_signup[channel] == pytest.approx(cost, rel=0.1), channel
    assert per_signup.idxmin() == "email" and per_signup.idxmax() == "sales_team"
    campaigns = spend[spend["campaign"].notna()]
    assert set(campaigns["campaign"]) <= set(demo["web_events"]["campaign"].dropna())


def test_wallets_hold_the_firms_spend_and_loyal_families_give_the_largest_share(demo, customers):
    wallets = demo["category_wallets"]
    assert (wallets["wallet"] >= wallets["spend_here"]).all() and (wallets["wallet"] > 0).all()
    year = demo["orders"][demo["orders"]["order_date"].dt.year == 2024]
    lines = (
        demo["order_lines"]
        .merge(year[["order_id", "customer_id"]], on="order_id")
        .merge(demo["products"][["product_id", "category"]], on="product_id")
    )
    here = lines.groupby(["customer_id", "category"])["revenue"].sum()
    table = wallets.set_index(["customer_id", "category"])["spend_here"]
    assert np.allclose(
        table[table > 0].sort_index(), here[here > 0].reindex(table[table > 0].index).sort_index()
    )
    bought = wallets[wallets["spend_here"] > 0].merge(customers[["customer_id", "latent_segment"]])
    share = (bought["spend_here"] / bought["wallet"]).groupby(bought["latent_segment"]).mean()
    assert share.idxmax() == "loyal_family" and share["loyal_family"] > share["value_seeker"] + 0.15
    assert (wallets["spend_here"] == 0).mean() > 0.2, "categories bought only elsewhere: room to cross-sell"


def test_the_retention_coupon_was_assigned_at_random_and_works_on_average(demo):
    campaign = demo["retention_campaign"]
    assert set(campaign["group"]) == {"coupon", "control"}
    # random assignment: the groups have the same chance to buy without the coupon
    base = campaign.groupby("group")["true_p_without_coupon"].mean()
    assert abs(base["coupon"] - base["control"]) < 0.03
    rates = campaign.groupby("group")["bought_next_quarter"].mean()
    observed = rates["coupon"] - rates["control"]
    assert 0 < observed < 0.15 and campaign["true_uplift"].mean() == pytest.approx(observed, abs=0.04)


def test_the_riskiest_customers_are_not_those_the_coupon_changes(demo):
    campaign = demo["retention_campaign"]
    alive = demo["truth"].set_index("customer_id")["alive_at_end"]
    gone = ~alive.reindex(campaign["customer_id"]).to_numpy()
    assert (campaign.loc[gone, "true_uplift"] == 0).all(), "a customer who has left cannot be won back"
    assert (campaign.loc[gone, "true_p_without_coupon"] == 0).all()
    riskiest = campaign.nsmallest(len(campaign) // 5, "true_p_without_coupon")
    changed = campaign.nlargest(len(campaign) // 5, "true_uplift")
    assert riskiest["true_uplift"].mean() < 0.5 * changed["true_uplift"].mean()
    assert len(set(riskiest["customer_id"]) & set(changed["customer_id"])) < 0.2 * len(riskiest)


def test_contact_details_are_obviously_fake_and_names_repeat(demo):
    contacts = demo["contacts"]
    assert set(contacts["customer_id"]) == set(demo["customers"]["customer_id"])
    assert contacts["email"].str.endswith("@example.com").all() and contacts["email"].is_unique
    assert contacts["phone"].str.match(r"^\+86 000 \d{4} \d{4}$").all()
    assert contacts["name"].nunique() < 0.2 * len(contacts), "names repeat: a name alone identifies nobody"


def test_the_stage_history_agrees_with_the_opportunities(demo):
    history, deals = demo["opportunity_stages"], demo["opportunities"].set_index("opportunity_id")
    assert not history.duplicated(["opportunity_id", "stage"]).any()
    last = history.groupby("opportunity_id", sort=False).last()
    assert last["stage"].equals(deals.loc[last.index, "stage"]), "the last stage is the current one"
    first = history.groupby("opportunity_id").first()
    assert (first["stage"] == "prospecting").all()
    assert first["entered_date"].equals(deals.loc[first.index, "created_date"])
    closed = deals[deals["stage"].str.startswith("closed")]
    assert last.loc[closed.index, "entered_date"].equals(closed["close_date"])
    order = {stage: k for k, stage in enumerate(synthetic.DEMO.opportunity_stages)}
    steps = history["stage"].map(order).groupby(history["opportunity_id"]).diff().dropna()
    assert (steps >= 1).all() and (
        history.groupby("opportunity_id")["entered_date"].diff().dropna() >= pd.Timedelta(0)
    ).all()
    opened = history  # a won deal passed every open stage
    won = deals.index[deals["stage"] == "closed_won"]
    assert (history[history["opportunity_id"].isin(won)].groupby("opportunity_id").size() == 5).all()
    assert opened["entered_date"].max() <= pd.Timestamp("2024-12-31")


def test_lost_deals_are_lost_in_the_configured_stages(demo):
    """Of the lost deals, the shares lost in each open stage match the configuration (binomial
    tolerance of 4 standard errors)."""
    history = demo["opportunity_stages"]
    lost = history.loc[history["stage"] == "closed_lost", "opportunity_id"]
    reached = history[history["opportunity_id"].isin(lost) & (history["stage"] != "closed_lost")]
    last = reached.groupby("opportunity_id")["stage"].last()
    shares = last.value_counts(normalize=True).reindex(synthetic.DEMO.opportunity_stages[:4])
    expected = np.array(synthetic.DEMO.opportunity_loss_stage_shares)
    assert np.all(np.abs(shares.to_numpy() - expected) < 4 * np.sqrt(expected * (1 - expected) / len(last)))


def test_every_english_name_of_the_data_has_its_chinese_name():
    """value_labels.csv: each category, product line, product name, region, company and contact name the
    tables hold, with a Chinese name that is Chinese and used once; a name missing from
    CHINESE_NAMES is an error that names it."""
    labels = pd.read_csv(DEMO / LABELS_FILE, dtype=str, keep_default_na=False)
    customers, products = pd.read_csv(DEMO / "customers.csv"), pd.read_csv(DEMO / "products.csv")
    held = {
        "category": set(products["category"]),
        "product_line": set(products["product_line"]),
        "name": set(products["name"]),
        "region": set(customers["region"]),
        "company_name": set(customers["company_name"].dropna()),
        "contact_name": set(pd.read_csv(DEMO / "contacts.csv")["name"]),
    }
    for column, values in held.items():
        assert values <= set(labels.loc[labels["column"] == column, "en"]), column
    assert labels["zh"].str.fullmatch(r"[\u4e00-\u9fff（）]+").all()
    assert not labels["en"].duplicated().any() and not labels["zh"].duplicated().any()
    shown = labels.set_index("en")["zh"]
    assert shown["Xinghe Hospitality Co., Ltd."] == "星河酒店管理有限公司"
    assert (
        shown["Printer Paper"] == "打印纸" and shown["East China"] == "华东" and shown["Ying Lin"] == "林颖"
    )
    names = dict(synthetic.CHINESE_NAMES)
    names["region"] = {k: v for k, v in names["region"].items() if k != "Northwest"}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(synthetic, "CHINESE_NAMES", names)
        with pytest.raises(DataError, match="Northwest"):
            synthetic.value_labels()
