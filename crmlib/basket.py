"""Customer development (客户发展): market baskets, the next best offer, share of wallet
and the up-sell ladder.

A firm develops the customers it has by **cross-selling** (交叉销售: products of other
categories) and **up-selling** (向上销售: a better, dearer product of the same kind).
This module measures where each has room:

* which products are bought together (support, confidence and lift of pairs,
  :func:`association_rules`) and what to offer one customer next
  (:func:`next_best_offer`);
* how much of a customer's spending on a category the firm gets (share of wallet,
  客户份额, :func:`wallet_summary`);
* how customers climb the basic / standard / premium ladder with experience
  (:func:`tier_ladder`) and who looks ready for the next step (:func:`ready_to_move_up`).

The pair counts come from one sparse basket x item matrix X (a basket holds an item
or not): X^T X counts the baskets of every pair at once. Only pairs are mined, so no
frequent-itemset search (apriori) is needed.

References
----------
Agrawal, R., Imielinski, T., & Swami, A. (1993). Mining association rules between
sets of items in large databases. Proceedings of ACM SIGMOD 1993, 207-216.
Brin, S., Motwani, R., Ullman, J. D., & Tsur, S. (1997). Dynamic itemset counting and
implication rules for market basket data. Proceedings of ACM SIGMOD 1997, 255-264.
Du, R. Y., Kamakura, W. A., & Mela, C. F. (2007). Size and share of customer wallet.
Journal of Marketing 71(2), 94-113.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import sparse

from .glossary import term
from .validation import (
    DataError,
    describe_rows,
    require_choice,
    require_columns,
    require_count,
    require_frame,
    require_no_missing,
    require_non_negative,
    require_number,
    require_numeric,
    require_text,
    require_unique_values,
    to_datetime_column,
    to_numbers,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "MAX_ITEMS",
    "MAX_BLOCK",
    "TIERS",
    "line_items",
    "association_rules",
    "next_best_offer",
    "wallet_summary",
    "tier_ladder",
    "ready_to_move_up",
    "plot_wallet_room",
    "plot_tier_mix",
]

#: The most distinct items :func:`association_rules` pairs (2,000 items make 4 million
#: pairs): for more, mine a coarser level (product line or category).
MAX_ITEMS = 2_000
#: The most orders in one block of the up-sell ladder (:func:`tier_ladder`).
MAX_BLOCK = 100
#: The rungs of the up-sell ladder, from the bottom (``products.tier``; ``tier_rank`` 1-3).
TIERS = ("basic", "standard", "premium")

_RULE_COLUMNS = [
    "antecedent",
    "consequent",
    "baskets",
    "support_antecedent",
    "support_consequent",
    "support",
    "confidence",
    "lift",
]


# ----------------------------------------------------------------------------------
# Order lines with who bought them, when, and what
# ----------------------------------------------------------------------------------
def line_items(
    order_lines: pd.DataFrame,
    orders: pd.DataFrame,
    products: pd.DataFrame,
    *,
    order_col: str = "order_id",
    product_col: str = "product_id",
    customer_col: str = "customer_id",
    date_col: str = "order_date",
) -> pd.DataFrame:
    """Order lines with their customer, date, the customer's order number and the product.

    The order number n counts a customer's orders in date order (ties by order id):
    n = 1 is the first order. It is the customer's experience with the firm at the
    time of the line, the clock of the up-sell ladder (:func:`tier_ladder`).

    Parameters
    ----------
    order_lines : DataFrame
        One row per order line: ``order_col`` and ``product_col`` (other columns
        are kept as they are).
    orders : DataFrame
        One row per order: ``order_col`` (each once), ``customer_col`` and ``date_col``.
    products : DataFrame
        One row per product: ``product_col`` (each once) and its attributes
        (``product_line``, ``category``, ``tier``, ``tier_rank`` in the demo company).
    order_col, product_col, customer_col, date_col : str
        Column names.

    Returns
    -------
    DataFrame
        The lines in their order, with ``customer_col``, ``date_col``,
        ``order_number`` and every column of ``products`` added.

    Raises
    ------
    DataError
        A table is not a non-empty DataFrame or lacks a column; an id is missing
        or (in ``orders`` or ``products``) repeated; a date is missing, not a date,
        a number such as 20240131 or has a time zone; a line's order or product
        is not in its table.

    Examples
    --------
    >>> lines = pd.DataFrame({"order_id": ["o1", "o1", "o2"], "product_id": ["p1", "p2", "p1"]})
    >>> orders = pd.DataFrame({"order_id": ["o2", "o1"], "customer_id": ["c", "c"],
    ...                        "order_date": ["2024-02-01", "2024-01-05"]})
    >>> products = pd.DataFrame({"product_id": ["p1", "p2"], "category": ["Coffee", "Snacks"]})
    >>> line_items(lines, orders, products)[["order_id", "order_number", "category"]]
      order_id  order_number category
    0       o1             1   Coffee
    1       o1             1   Snacks
    2       o2             2   Coffee
    """
    for table, name, columns in (
        (order_lines, "order_lines", [order_col, product_col]),
        (orders, "orders", [order_col, customer_col, date_col]),
        (products, "products", [product_col]),
    ):
        require_frame(table, name)
        require_columns(table, columns, name)
    for table, column, what in (
        (order_lines, order_col, "order id"),
        (order_lines, product_col, "product id"),
        (orders, order_col, "order id"),
        (orders, customer_col, "customer id"),
        (products, product_col, "product id"),
    ):
        require_no_missing(table, column, what)
    require_unique_values(orders[order_col].reset_index(drop=True), order_col, "order")
    require_unique_values(products[product_col].reset_index(drop=True), product_col, "product")
    dates = to_datetime_column(orders, date_col)
    head = pd.DataFrame(
        {
            order_col: orders[order_col].to_numpy(),
            customer_col: orders[customer_col].to_numpy(),
            date_col: dates.to_numpy(),
        }
    ).sort_values([date_col, order_col], kind="stable")
    head["order_number"] = head.groupby(customer_col, sort=False).cumcount() + 1
    lines = order_lines.reset_index(drop=True)
    for column, table, what in ((order_col, head, "orders"), (product_col, products, "products")):
        unknown = ~lines[column].isin(table[column])
        if unknown.any():
            raise DataError(
                f"order_lines has {int(unknown.sum())} lines whose {column!r} is not in {what} "
                f"({describe_rows(lines.index[unknown])}): every line needs its {what[:-1]}"
            )
    keep = [c for c in lines.columns if c not in (customer_col, date_col, "order_number")]
    out = lines[keep].merge(head, on=order_col, how="left", validate="many_to_one")
    extra = [c for c in products.columns if c == product_col or c not in out.columns]
    out = out.merge(
        products[extra].reset_index(drop=True), on=product_col, how="left", validate="many_to_one"
    )
    return out


# ----------------------------------------------------------------------------------
# Market basket analysis: support, confidence and lift of pairs
# ----------------------------------------------------------------------------------
def association_rules(
    lines: pd.DataFrame,
    basket_col: str = "order_id",
    item_col: str = "product_line",
    min_support: float = 0.0,
) -> pd.DataFrame:
    """Support, confidence and lift of every rule A -> B between two items bought together.

    With N baskets, n_A the baskets holding item A and n_AB those holding A and B:

        support(A) = n_A / N,   support(A, B) = n_AB / N,
        confidence(A -> B) = support(A, B) / support(A)   (the share of A's baskets with B),
        lift(A -> B) = support(A, B) / (support(A) support(B)) = confidence(A -> B) / support(B).

    Lift is symmetric: lift(A -> B) = lift(B -> A). Above 1, A and B are bought together
    more often than if they were chosen independently; below 1, less often. An item
    bought twice in one basket counts once.

    Parameters
    ----------
    lines : DataFrame
        One row per basket line (e.g. :func:`line_items`).
    basket_col : str
        The basket (an order, or a customer for "bought by the same customer").
    item_col : str
        The item: a product, a product line, a category.
    min_support : float
        Keep the rules whose pair support is at least this share of the baskets
        (0.01 = 1 %); 0 keeps every pair bought together at least once.

    Returns
    -------
    DataFrame
        One row per rule (both directions of each pair), sorted by lift, then
        support, then confidence: ``antecedent``, ``consequent``, ``baskets`` (n_AB),
        ``support_antecedent``, ``support_consequent``, ``support``,
        ``confidence`` and ``lift``. Pairs never bought together have no row,
        so the table can be empty.

    Raises
    ------
    DataError
        ``lines`` is not a non-empty DataFrame or lacks a column; a basket or an
        item is missing; ``min_support`` is not a number between 0 and 1; more
        than :data:`MAX_ITEMS` distinct items.

    References
    ----------
    Agrawal, Imielinski & Swami (1993), section 2 (support and confidence);
    Brin, Motwani, Ullman & Tsur (1997), section 2 ("interest", now called lift).

    Examples
    --------
    >>> lines = pd.DataFrame({"order_id": [1, 1, 2, 2, 3, 4],
    ...                       "item": ["beans", "machine", "beans", "machine", "beans", "tea"]})
    >>> rules = association_rules(lines, item_col="item")
    >>> rules[["antecedent", "consequent", "baskets", "confidence", "lift"]].round(3)
      antecedent consequent  baskets  confidence   lift
    0    machine      beans        2       1.000  1.333
    1      beans    machine        2       0.667  1.333
    """
    require_frame(lines, "lines")
    require_columns(lines, [basket_col, item_col], "lines")
    require_no_missing(lines, basket_col, "basket")
    require_no_missing(lines, item_col, "item")
    threshold = require_number(min_support, "min_support", low=0, high=1, rate=True)
    basket_codes, _ = pd.factorize(lines[basket_col])
    item_codes, items = pd.factorize(lines[item_col])
    if len(items) > MAX_ITEMS:
        raise DataError(
            f"column {item_col!r} has {len(items):,} distinct items; at most {MAX_ITEMS:,} are paired: "
            "mine a coarser level (a product line or a category)"
        )
    n_baskets = int(basket_codes.max()) + 1
    matrix = sparse.csr_matrix(
        (np.ones(len(basket_codes)), (basket_codes, item_codes)), shape=(n_baskets, len(items))
    )
    matrix.data[:] = 1.0  # an item twice in a basket counts once
    together = (matrix.T @ matrix).toarray()
    item_baskets = np.diag(together).copy()
    np.fill_diagonal(together, 0)
    a, b = np.nonzero(together)
    count = together[a, b]
    support_a = item_baskets[a] / n_baskets
    support_b = item_baskets[b] / n_baskets
    support = count / n_baskets
    rules = pd.DataFrame(
        {
            "antecedent": np.asarray(items, dtype=object)[a],
            "consequent": np.asarray(items, dtype=object)[b],
            "baskets": count.astype(int),
            "support_antecedent": support_a,
            "support_consequent": support_b,
            "support": support,
            "confidence": support / support_a,
            "lift": support / (support_a * support_b),
        },
        columns=_RULE_COLUMNS,
    )
    rules = rules[rules["support"] >= threshold - 1e-12]
    order = np.lexsort(
        (
            rules["consequent"].map(str).to_numpy(),
            rules["antecedent"].map(str).to_numpy(),
            -rules["confidence"].to_numpy(),
            -rules["support"].to_numpy(),
            -np.round(rules["lift"].to_numpy(), 12),
        )
    )
    return rules.iloc[order].reset_index(drop=True)


def next_best_offer(
    rules: pd.DataFrame, owned: Sequence[str], top: int = 3, score_col: str = "confidence"
) -> pd.DataFrame:
    """The items to offer a customer next: the strongest rules from what they own to what they do not.

    For each item B the customer does not have, the score is the best rule A -> B
    over the items A they have: max_A confidence(A -> B) (or lift, with
    ``score_col="lift"``); ties go to the higher lift, then the more baskets.

    Parameters
    ----------
    rules : DataFrame
        Rules from :func:`association_rules` (``antecedent``, ``consequent``,
        ``baskets``, ``confidence`` and ``lift``).
    owned : sequence of str
        The items the customer has already bought (at the level of the rules).
    top : int
        How many offers to return, 1 to 1,000.
    score_col : {"confidence", "lift"}
        What ranks the offers: confidence (how likely the customer is to want B)
        or lift (how much more likely than for a random customer).

    Returns
    -------
    DataFrame
        Up to ``top`` rows, indexed by ``rank`` (1, 2, ...): ``offer`` (B),
        ``because_of`` (the A of the best rule), ``baskets``, ``confidence`` and
        ``lift``. Empty when no rule leads from an owned item to a new one.

    Raises
    ------
    DataError
        ``rules`` is not a non-empty DataFrame or lacks a column, or its numbers
        are not finite numbers; ``owned`` is not a non-empty list of texts;
        ``top`` is not a whole number from 1 to 1,000; ``score_col`` is neither
        "confidence" nor "lift".

    Examples
    --------
    >>> rules = pd.DataFrame({"antecedent": ["machine", "beans", "beans"],
    ...                       "consequent": ["beans", "machine", "biscuits"],
    ...                       "baskets": [40, 40, 30], "confidence": [0.6, 0.3, 0.25],
    ...                       "lift": [3.2, 3.2, 1.9]})
    >>> next_best_offer(rules, ["machine"])
         offer because_of  baskets  confidence  lift
    rank
    1    beans    machine       40         0.6   3.2
    """
    require_frame(rules, "rules")
    require_columns(rules, ["antecedent", "consequent", "baskets", "confidence", "lift"], "rules")
    numbers = {column: require_numeric(rules, column) for column in ("baskets", "confidence", "lift")}
    top = require_count(top, "top", low=1, high=1000)
    score_col = require_choice(score_col, "score_col", ["confidence", "lift"])
    if isinstance(owned, str) or not isinstance(owned, Sequence | np.ndarray | pd.Series | pd.Index):
        raise DataError(
            f"owned must be a list of the items the customer bought, e.g. ['Coffee Machine']; got {owned!r:.40}"
        )
    have = [require_text(item, "each item of owned") for item in owned]
    if not have:
        raise DataError("owned is empty: give at least one item the customer bought")
    table = pd.DataFrame(
        {
            "offer": rules["consequent"].to_numpy(),
            "because_of": rules["antecedent"].to_numpy(),
            "baskets": numbers["baskets"].to_numpy(),
            "confidence": numbers["confidence"].to_numpy(),
            "lift": numbers["lift"].to_numpy(),
        }
    )
    owned_set = set(have)
    mine = table["because_of"].map(lambda v: v in owned_set) & ~table["offer"].map(lambda v: v in owned_set)
    table = table[mine.to_numpy(dtype=bool)]
    other = "lift" if score_col == "confidence" else "confidence"
    table = table.sort_values([score_col, other, "baskets"], ascending=False, kind="stable")
    table = table.drop_duplicates("offer").head(top).reset_index(drop=True)
    if (rules["baskets"].map(float) == rules["baskets"].map(float).round()).all():
        table["baskets"] = table["baskets"].astype(int)
    table.index = pd.RangeIndex(1, len(table) + 1, name="rank")
    return table


# ----------------------------------------------------------------------------------
# Share of wallet
# ----------------------------------------------------------------------------------
def wallet_summary(
    wallets: pd.DataFrame,
    by: str = "category",
    customer_col: str = "customer_id",
    here_col: str = "spend_here",
    wallet_col: str = "wallet",
) -> pd.DataFrame:
    """Share of wallet (客户份额) and the room left for customer development, per group.

    For a group g (a category, a segment, one customer) with rows r (a customer's
    spending on one category):

        share of wallet = sum_r spend_here / sum_r wallet,
        room here       = sum of (wallet - spend_here) over rows with spend_here > 0
                          (the category is bought here, but not all of it: deepen, up-sell),
        room elsewhere  = sum of wallet over rows with spend_here = 0
                          (the category is bought only from others: cross-sell).

    Parameters
    ----------
    wallets : DataFrame
        One row per customer and category: what the customer spent here and at
        every supplier (the demo company's ``category_wallets``).
    by : str
        The column to group by (``category``, ``customer_id``, or a segment
        column joined to the table).
    customer_col, here_col, wallet_col : str
        The customer, the spend at the firm and the whole wallet (at least the
        spend here).

    Returns
    -------
    DataFrame
        Indexed by ``by``: ``customers`` (distinct customers), ``buying_here``
        (of them, those who spent something here), ``spend_here``, ``wallet``,
        ``share_of_wallet``, ``room_here`` and ``room_elsewhere``.
        ``share_of_wallet`` is NaN for a group whose wallet is 0.

    Raises
    ------
    DataError
        ``wallets`` is not a non-empty DataFrame or lacks a column; a customer or
        a group is missing; an amount is not a number, missing, infinite or
        negative; a spend here exceeds its wallet.

    References
    ----------
    Du, Kamakura & Mela (2007): share of wallet = the firm's sales to a customer
    over the customer's total spending in the category.

    Examples
    --------
    >>> w = pd.DataFrame({"customer_id": ["a", "a", "b"], "category": ["Coffee", "Snacks", "Coffee"],
    ...                   "spend_here": [300.0, 0.0, 100.0], "wallet": [400.0, 200.0, 100.0]})
    >>> wallet_summary(w)[["buying_here", "share_of_wallet", "room_here", "room_elsewhere"]]
              buying_here  share_of_wallet  room_here  room_elsewhere
    category
    Coffee              2              0.8      100.0             0.0
    Snacks              0              0.0        0.0           200.0
    """
    require_frame(wallets, "wallets")
    require_columns(wallets, [by, customer_col, here_col, wallet_col], "wallets")
    require_no_missing(wallets, customer_col, "customer id")
    require_no_missing(wallets, by, "group")
    here = require_numeric(wallets, here_col)
    wallet = require_numeric(wallets, wallet_col)
    advice = "spending is an amount of money, at least 0"
    require_non_negative(here, here_col, advice)
    require_non_negative(wallet, wallet_col, advice)
    over = (here - wallet).to_numpy() > 1e-6 * np.maximum(wallet.to_numpy(), 1.0)
    if over.any():
        raise DataError(
            f"column {here_col!r} exceeds column {wallet_col!r} in {int(over.sum())} rows "
            f"({describe_rows(wallets.index[over])}): the wallet is the spending at every supplier, "
            "the firm included, so it is at least the spending here"
        )
    bought = here.to_numpy() > 0
    table = pd.DataFrame(
        {
            "group": wallets[by].to_numpy(),
            "customer": wallets[customer_col].to_numpy(),
            "buyer": np.where(bought, wallets[customer_col].to_numpy(), None),
            "spend_here": here.to_numpy(),
            "wallet": wallet.to_numpy(),
            "room_here": np.where(bought, wallet.to_numpy() - here.to_numpy(), 0.0),
            "room_elsewhere": np.where(bought, 0.0, wallet.to_numpy()),
        }
    )
    grouped = table.groupby("group", sort=True)
    out = pd.DataFrame(
        {
            "customers": grouped["customer"].nunique(),
            "buying_here": grouped["buyer"].nunique(),
            "spend_here": grouped["spend_here"].sum(),
            "wallet": grouped["wallet"].sum(),
        }
    )
    out["share_of_wallet"] = out["spend_here"] / out["wallet"].where(out["wallet"] > 0)
    out["room_here"] = grouped["room_here"].sum()
    out["room_elsewhere"] = grouped["room_elsewhere"].sum()
    out.index.name = by
    return out


# ----------------------------------------------------------------------------------
# The up-sell ladder
# ----------------------------------------------------------------------------------
def _checked_ladder_lines(
    lines: pd.DataFrame, customer_col: str, number_col: str, tier_col: str
) -> pd.DataFrame:
    require_frame(lines, "lines")
    require_columns(lines, [customer_col, number_col, tier_col], "lines")
    require_no_missing(lines, customer_col, "customer id")
    numbers = to_numbers(require_numeric(lines, number_col), number_col, low=1, integer=True)
    tiers = to_numbers(require_numeric(lines, tier_col), tier_col, low=1, integer=True)
    return pd.DataFrame(
        {"customer": lines[customer_col].to_numpy(), "number": numbers.astype(int), "tier": tiers.astype(int)}
    )


def _tiers_of(part: pd.DataFrame) -> pd.DataFrame:
    """Per customer: the main tier (most lines, ties to the higher tier) and the top tier."""
    counts = part.groupby(["customer", "tier"], sort=True).size().rename("lines").reset_index()
    counts = counts.sort_values(["customer", "lines", "tier"], ascending=[True, False, False], kind="stable")
    main = counts.drop_duplicates("customer").set_index("customer")["tier"]
    top = part.groupby("customer", sort=True)["tier"].max()
    orders = part.groupby("customer", sort=True)["number"].nunique()
    return pd.DataFrame({"orders": orders, "main_tier": main.reindex(orders.index), "top_tier": top})


def tier_ladder(
    lines: pd.DataFrame,
    block: int = 3,
    customer_col: str = "customer_id",
    number_col: str = "order_number",
    tier_col: str = "tier_rank",
) -> pd.DataFrame:
    """Each customer's step on the up-sell ladder: the tier of their first orders and of the next ones.

    A customer's **main tier** over some orders is the tier of most of their lines
    (ties go to the higher tier); the **top tier** is the highest they bought. For
    every customer with at least 2 x ``block`` orders, the first ``block`` orders
    (numbers 1 .. block) are compared with the next ``block`` (block + 1 .. 2 block).

    Parameters
    ----------
    lines : DataFrame
        One row per order line with the customer, the customer's order number
        (1 = first order, e.g. from :func:`line_items`) and the tier rank of the
        product (1 = basic, 2 = standard, 3 = premium).
    block : int
        Orders per block, 1 to :data:`MAX_BLOCK` (100).
    customer_col, number_col, tier_col : str
        Column names.

    Returns
    -------
    DataFrame
        Indexed by customer: ``tier_from`` (main tier of the first block),
        ``top_from`` (its top tier), ``tier_to`` (main tier of the next block),
        ``tried_higher`` (bought above the main tier in the first block) and
        ``move`` ("up", "same" or "down"). Empty when no customer has enough orders.

    Raises
    ------
    DataError
        ``lines`` is not a non-empty DataFrame or lacks a column; a customer is
        missing; an order number or a tier is not a whole number of at least 1;
        ``block`` is not a whole number from 1 to 100.

    Examples
    --------
    >>> lines = pd.DataFrame({"customer_id": ["a"] * 4 + ["b"] * 2,
    ...                       "order_number": [1, 1, 2, 2, 1, 2],
    ...                       "tier_rank": [1, 2, 1, 3, 2, 2]})
    >>> tier_ladder(lines, block=1)
                 tier_from  top_from  tier_to  tried_higher move
    customer_id
    a                    2         2        3         False   up
    b                    2         2        2         False same
    """
    block = require_count(block, "block", low=1, high=MAX_BLOCK)
    table = _checked_ladder_lines(lines, customer_col, number_col, tier_col)
    first = _tiers_of(table[table["number"] <= block])
    second = _tiers_of(table[(table["number"] > block) & (table["number"] <= 2 * block)])
    full = first.index[first["orders"] == block].intersection(second.index[second["orders"] == block])
    out = pd.DataFrame(
        {
            "tier_from": first.loc[full, "main_tier"].astype(int),
            "top_from": first.loc[full, "top_tier"].astype(int),
            "tier_to": second.loc[full, "main_tier"].astype(int),
        },
        index=full,
    )
    out["tried_higher"] = out["top_from"] > out["tier_from"]
    out["move"] = np.select(
        [out["tier_to"] > out["tier_from"], out["tier_to"] < out["tier_from"]], ["up", "down"], "same"
    )
    out.index.name = customer_col
    return out


def ready_to_move_up(
    lines: pd.DataFrame,
    block: int = 3,
    customer_col: str = "customer_id",
    number_col: str = "order_number",
    tier_col: str = "tier_rank",
) -> pd.DataFrame:
    """Who is ready for the next rung of the ladder: customers who have tried a higher tier lately.

    Over each customer's last ``block`` orders: the main tier (most lines, ties to
    the higher tier) and the top tier. A customer is **ready to move up** when the
    main tier is below the highest tier of the table and the top tier is above the
    main tier: they already buy the better product now and then. (Check the rule
    on past data first: :func:`tier_ladder` shows how often such customers moved up.)

    Parameters
    ----------
    lines : DataFrame
        As in :func:`tier_ladder`.
    block : int
        The number of recent orders looked at, 1 to :data:`MAX_BLOCK` (100).
    customer_col, number_col, tier_col : str
        Column names.

    Returns
    -------
    DataFrame
        Indexed by customer, for customers with at least ``block`` orders:
        ``orders`` (all of them), ``tier_recent``, ``top_recent`` and ``ready``.

    Raises
    ------
    DataError
        As :func:`tier_ladder`.

    Examples
    --------
    >>> lines = pd.DataFrame({"customer_id": ["a", "a", "a", "b", "b"],
    ...                       "order_number": [1, 2, 2, 1, 2],
    ...                       "tier_rank": [1, 1, 3, 3, 3]})
    >>> ready_to_move_up(lines, block=2)
                 orders  tier_recent  top_recent  ready
    customer_id
    a                 2            1           3   True
    b                 2            3           3  False
    """
    block = require_count(block, "block", low=1, high=MAX_BLOCK)
    table = _checked_ladder_lines(lines, customer_col, number_col, tier_col)
    last = table.groupby("customer")["number"].transform("max")
    recent = _tiers_of(table[table["number"] > last - block])
    total = table.groupby("customer", sort=True)["number"].nunique()
    keep = total.index[total >= block]
    out = pd.DataFrame(
        {
            "orders": total.loc[keep].astype(int),
            "tier_recent": recent.loc[keep, "main_tier"].astype(int),
            "top_recent": recent.loc[keep, "top_tier"].astype(int),
        },
        index=keep,
    )
    out["ready"] = (out["tier_recent"] < table["tier"].max()) & (out["top_recent"] > out["tier_recent"])
    out.index.name = customer_col
    return out


# ----------------------------------------------------------------------------------
# Figures
# ----------------------------------------------------------------------------------
def plot_wallet_room(
    summary: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Each group's wallet as one bar: the spend here, the room in categories bought here,
    and the room in categories bought only elsewhere (largest wallet on top).

    Parameters
    ----------
    summary : DataFrame
        The output of :func:`wallet_summary` (``spend_here``, ``room_here``,
        ``room_elsewhere``), one row per group.
    ax, title, source
        The plot contract (see :mod:`crmlib.plots`).

    Returns
    -------
    Axes

    Raises
    ------
    DataError
        ``summary`` is not a non-empty DataFrame, lacks a column, or holds
        amounts that are not numbers, missing, infinite or negative.
    """
    from .plots import PALETTE, finish, new_figure

    require_frame(summary, "summary")
    parts = ["spend_here", "room_here", "room_elsewhere"]
    require_columns(summary, parts, "summary")
    values = {part: require_numeric(summary, part).to_numpy() for part in parts}
    for part in parts:
        require_non_negative(pd.Series(values[part]), part, "an amount of money is at least 0")
    total = sum(values.values())
    order = np.argsort(total, kind="stable")
    labels = [str(label) for label in np.asarray(summary.index)[order]]
    if ax is None:
        _, ax = new_figure()
    left = np.zeros(len(order))
    colours = {"spend_here": PALETTE[0], "room_here": PALETTE[5], "room_elsewhere": PALETTE[1]}
    for part in parts:
        ax.barh(labels, values[part][order], left=left, color=colours[part], label=term(part))
        left = left + values[part][order]
    ax.set_xlabel(term("amount_cny"))
    ax.xaxis.set_major_formatter("{x:,.0f}")
    ax.legend(loc="lower right")
    return finish(ax, title, source)


def plot_tier_mix(
    mix: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """The share of lines in each tier, for groups of orders (e.g. by order number):
    stacked bars from basic at the bottom to premium at the top.

    Parameters
    ----------
    mix : DataFrame
        One row per group (the x axis, in its order), one column per tier of
        :data:`TIERS` (``basic``, ``standard``, ``premium``), shares between 0 and
        1 that add up to 1 in each row (``pd.crosstab(..., normalize="index")``).
    ax, title, source
        The plot contract (see :mod:`crmlib.plots`).

    Returns
    -------
    Axes

    Raises
    ------
    DataError
        ``mix`` is not a non-empty DataFrame; a column is not a tier; a share is
        not a number between 0 and 1; a row does not add up to 1.
    """
    from .plots import PALETTE, finish, new_figure

    require_frame(mix, "mix")
    columns = [require_choice(column, "each column of mix", TIERS) for column in mix.columns]
    shares = {column: require_numeric(mix, column).to_numpy() for column in columns}
    for column, values in shares.items():
        if (values < 0).any() or (values > 1).any():
            raise DataError(f"column {column!r} of mix must hold shares between 0 and 1")
    sums = sum(shares.values())
    if not np.allclose(sums, 1.0, atol=1e-6):
        raise DataError("each row of mix must add up to 1: normalize the counts per row first")
    if ax is None:
        _, ax = new_figure()
    labels = [str(label) for label in mix.index]
    bottom = np.zeros(len(labels))
    colours = {"basic": PALETTE[5], "standard": PALETTE[0], "premium": PALETTE[1]}
    for tier in [t for t in TIERS if t in shares]:
        ax.bar(labels, shares[tier], bottom=bottom, color=colours[tier], label=term(f"{tier}_tier"))
        bottom = bottom + shares[tier]
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter("{x:.0%}")
    ax.set_xlabel(term("order_number"))
    ax.set_ylabel(term("share_of_lines"))
    handles, names = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], names[::-1], loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return finish(ax, title, source)
