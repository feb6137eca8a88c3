"""Pseudonymization and k-anonymity of crmlib.privacy: a published HMAC test vector, what a keyed
hash keeps and what it hides, and group sizes counted by hand."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

import crmlib
from crmlib import privacy
from crmlib.validation import DataError

KEY = bytes(range(32))


def test_pseudonyms_are_hmac_sha256_as_in_rfc_4231():
    """RFC 4231 ("Identifiers and test vectors for HMAC-SHA-224, -256, -384 and -512"), test case 1:
    key = 20 bytes of 0x0b, data = "Hi There", HMAC-SHA-256 =
    b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7."""
    table = pd.DataFrame({"name": ["Hi There"]})
    masked = privacy.pseudonymize(table, ["name"], b"\x0b" * 20)
    assert masked.loc[0, "name"] == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"


def test_equal_values_get_equal_pseudonyms_and_another_key_gives_others():
    contacts = crmlib.load_demo("contacts")
    masked = privacy.pseudonymize(contacts, ["name", "phone", "email"], KEY)
    for column in ("name", "phone", "email"):
        assert masked[column].nunique() == contacts[column].nunique()
        assert (
            masked.groupby(column).size().sort_values().to_numpy()
            == contacts.groupby(column).size().sort_values().to_numpy()
        ).all()
        assert masked[column].str.fullmatch(r"[0-9a-f]{64}").all()
    other = privacy.pseudonymize(contacts, ["name"], bytes(reversed(KEY)))
    assert not set(other["name"]) & set(masked["name"])
    assert masked["customer_id"].equals(contacts["customer_id"])


def test_missing_values_stay_missing_and_the_input_is_unchanged():
    table = pd.DataFrame({"email": ["a@example.com", None], "spend": [1.0, 2.0]})
    before = table.copy()
    masked = privacy.pseudonymize(table, "email", KEY)
    assert pd.isna(masked.loc[1, "email"]) and table.equals(before)


def test_an_analysis_gives_the_same_result_on_pseudonymized_ids():
    orders = crmlib.load_demo("orders")
    masked = privacy.pseudonymize(orders, ["customer_id"], KEY)
    kwargs = {"date_col": "order_date", "amount_col": "revenue", "duplicates": "keep"}
    plain = crmlib.rfm_summary(orders, **kwargs)
    hashed = crmlib.rfm_summary(masked, **kwargs)
    for column in plain.columns:
        assert sorted(plain[column]) == pytest.approx(sorted(hashed[column]))


def test_a_plain_hash_of_a_name_is_found_by_a_dictionary_and_a_keyed_one_is_not():
    names = pd.DataFrame({"name": ["Gang Chen", "Lan Luo"]})
    dictionary = {hashlib.sha256(n.encode()).hexdigest() for n in ["Gang Chen", "Lan Luo", "Wei Wang"]}
    plain = names["name"].map(lambda n: hashlib.sha256(n.encode()).hexdigest())
    assert plain.isin(dictionary).all()
    assert not privacy.pseudonymize(names, ["name"], KEY)["name"].isin(dictionary).any()


@pytest.mark.parametrize("key", ["a text password", b"short", 12345])
def test_weak_keys_are_refused(key):
    with pytest.raises(DataError):
        privacy.pseudonymize(pd.DataFrame({"name": ["x"]}), ["name"], key)


def test_class_sizes_and_k_counted_by_hand():
    people = pd.DataFrame(
        {
            "gender": ["F", "F", "F", "M", "M", "M", "M"],
            "tier": [1, 1, 2, 1, 1, 1, 2],
        }
    )
    assert privacy.class_sizes(people, ["gender", "tier"]).tolist() == [2, 2, 1, 3, 3, 3, 1]
    result = privacy.k_anonymity(people, ["gender", "tier"], k=3)
    assert (result.k, result.groups, result.unique, result.below_target) == (1, 4, 2, 4)
    assert result.share_below_target == pytest.approx(4 / 7)
    assert privacy.k_anonymity(people, ["gender"], k=3).k == 3


def test_coarser_quasi_identifiers_never_make_groups_smaller():
    customers = crmlib.load_demo("customers").query("customer_type == 'B2C'")
    table = customers.assign(
        band_5=privacy.age_bands(customers["age"], width=5),
        band_10=privacy.age_bands(customers["age"], width=10),
        band_10_top=privacy.age_bands(customers["age"], width=10, top=60),
    )
    steps = {
        "age": ["age", "gender", "region", "city_tier"],
        "5-year": ["band_5", "gender", "region", "city_tier"],
        "10-year": ["band_10", "gender", "region", "city_tier"],
        "10-year, 60+": ["band_10_top", "gender", "region", "city_tier"],
        "drop region": ["band_10_top", "gender", "city_tier"],
    }
    ladder = privacy.generalization_ladder(table, steps, k=5)
    assert ladder["unique"].is_monotonic_decreasing and ladder["groups"].is_monotonic_decreasing
    assert ladder["k"].is_monotonic_increasing
    assert ladder.loc["age", "unique"] > 0


def test_age_bands_start_at_multiples_of_the_width_and_top_code():
    bands = privacy.age_bands(pd.Series([18, 19, 20, 59, 60, 79]), width=5, top=60)
    assert bands.tolist() == ["15–19", "15–19", "20–24", "55–59", "60+", "60+"]
    assert privacy.age_bands(pd.Series([33]), width=10, top=35).tolist() == ["30–34"]


def test_missing_quasi_identifiers_are_refused():
    with pytest.raises(DataError, match="missing"):
        privacy.k_anonymity(pd.DataFrame({"gender": ["F", None]}), ["gender"])
