"""Exam bank of chapter 01, the evolution of marketing concepts (营销观念的演进)."""

from __future__ import annotations

from crmlib.customer_base import (
    Strategy,
    breakeven_retention,
    simulate_base,
    steady_state_base,
    steady_state_profit,
)
from crmlib.exams._core import Computational, MultipleChoice, ShortAnswer, bi, both, zh


def _base_in_year(acquired: int, retention: float, year: int) -> float:
    path = simulate_base(Strategy("s", acquired=acquired, retention=retention, margin=1.0), periods=year)
    return float(path.loc[path["period"] == year, "base"].iloc[0])


def _steady_base(acquired: int, retention: float) -> float:
    return steady_state_base(Strategy("s", acquired=acquired, retention=retention, margin=1.0))


def _steady_profit(
    acquired: int, retention: float, margin: int, acquisition_cost: int, retention_cost: int
) -> float:
    strategy = Strategy(
        "s",
        acquired=acquired,
        retention=retention,
        margin=margin,
        acquisition_cost=acquisition_cost,
        retention_cost=retention_cost,
    )
    return steady_state_profit(strategy)


def _breakeven(margin: int, acquisition_cost: int, retention_cost: int, t_retention: float) -> float:
    transaction = Strategy(
        "t", acquired=1000, retention=t_retention, margin=margin, acquisition_cost=acquisition_cost
    )
    relationship = Strategy(
        "r",
        acquired=400,
        retention=0.5,
        margin=margin,
        acquisition_cost=acquisition_cost,
        retention_cost=retention_cost,
    )
    return breakeven_retention(transaction, relationship)


QUESTIONS = [
    MultipleChoice(
        id="ch01.e1",
        heading={"en": "A concept from a description", "zh": "由描述判断营销观念"},
        stem={
            "en": "A manufacturer believes that customers will choose the product of the highest quality and performance, "
            "and spends its effort on making its product ever better, without asking what its target market needs. "
            "Which marketing concept is it acting on?",
            "zh": "一家制造商认为，客户会选择质量最高、性能最好的产品，因此把精力都花在不断改进产品上，而不去了解目标市场需要什么。它奉行的是哪种营销观念？",
        },
        options={
            "A": both("product_concept"),
            "B": both("production_concept"),
            "C": both("selling_concept"),
            "D": both("marketing_concept"),
        },
        correct="A",
        explanation={
            "en": "The product concept puts the firm's lever in product quality; it still starts from the product, not the market's needs.",
            "zh": "产品观念把企业的着力点放在产品质量上；它仍然从产品出发，而不是从市场需要出发。",
        },
        why_not={
            "B": {
                "en": "The production concept's lever is cost and availability (produce much, cheaply), not quality.",
                "zh": "生产观念的着力点是成本和供应（多生产、低成本），而不是质量。",
            },
            "C": {
                "en": "The selling concept's lever is selling effort and promotion for what the firm already makes.",
                "zh": "推销观念的着力点是为企业已经生产出来的产品加大推销和促销力度。",
            },
            "D": {
                "en": "The marketing concept starts from the target market's needs, which this firm does not ask about.",
                "zh": "市场营销观念从目标市场的需要出发，而这家企业并不了解这些需要。",
            },
        },
    ),
    MultipleChoice(
        id="ch01.e2",
        heading={"en": "Retention and the steady-state base", "zh": "保留率与稳态客户规模"},
        stem={
            "en": f"A firm wins A new customers a year and keeps a share r = 0.6 of its customers from one year to the next. "
            f"In the {bi('leaky_bucket')} model, by what factor does its {bi('steady_state_base')} change if r rises to 0.8?",
            "zh": f"一家企业每年赢得 A 位新客户，每年保留上一年客户中 r = 0.6 的比例。在{zh('leaky_bucket')}模型中，如果 r 提高到 0.8，它的{zh('steady_state_base')}会变为原来的多少倍？",
        },
        options={
            "A": {"en": "it doubles", "zh": "变为原来的两倍"},
            "B": {"en": "it grows by a third", "zh": "增加三分之一"},
            "C": {"en": "it grows by a fifth", "zh": "增加五分之一"},
            "D": {
                "en": "it is unchanged: the base settles at A either way",
                "zh": "不变：无论哪种情况，规模都稳定在 A",
            },
        },
        correct="A",
        explanation={
            "en": "N* = A / (1 - r): A / 0.4 = 2.5 A becomes A / 0.2 = 5 A, twice as much.",
            "zh": "N* = A / (1 - r)：A / 0.4 = 2.5 A 变为 A / 0.2 = 5 A，是原来的两倍。",
        },
        why_not={
            "B": {
                "en": "0.8 / 0.6 = 4/3 compares the retention rates; the base depends on the churn rate 1 - r, which halves.",
                "zh": "0.8 / 0.6 = 4/3 比较的是两个保留率；客户规模取决于流失率 1 - r，而流失率减半。",
            },
            "C": {
                "en": "A rise of 0.2 points is not a rise of the base by a fifth; the base is A divided by the churn rate.",
                "zh": "保留率提高 0.2 并不意味着客户规模增加五分之一；客户规模等于 A 除以流失率。",
            },
            "D": {
                "en": "The base settles where the customers leaking out, (1 - r) N*, equal the A poured in; that level depends on r.",
                "zh": "客户规模稳定在流出的客户 (1 - r) N* 等于流入的 A 的水平上，这个水平取决于 r。",
            },
        },
    ),
    MultipleChoice(
        id="ch01.e3",
        heading={
            "en": "What transaction marketing does with lost customers",
            "zh": "交易营销如何对待流失的客户",
        },
        stem={
            "en": f"Under {bi('transaction_marketing')}, what does a firm do about the customers it loses?",
            "zh": f"在{zh('transaction_marketing')}下，企业怎样对待它失去的客户？",
        },
        options={
            "A": {
                "en": "It replaces them with new ones and judges itself by sales and market share.",
                "zh": "用新客户补上，并以销售额和市场份额评价自己。",
            },
            "B": {
                "en": "It studies why each one left and wins them back with a personal offer.",
                "zh": "研究每位客户离开的原因，并用个性化的优惠把他们赢回来。",
            },
            "C": {
                "en": "It raises the retention cost until the churn rate is zero.",
                "zh": "不断提高保留成本，直到流失率降为零。",
            },
            "D": {
                "en": "It keeps a record of every lost customer's needs and history for later contact.",
                "zh": "记录每位流失客户的需要和历史，以便日后联系。",
            },
        },
        correct="A",
        explanation={
            "en": "The unit of transaction marketing is the single order; customers who leave are replaced, stage after stage.",
            "zh": "交易营销的单位是一笔笔订单；离开的客户一批又一批地被新客户替代。",
        },
        why_not={
            "B": {
                "en": "Analysing and winning back lost customers is a retention practice of relationship marketing and CRM.",
                "zh": "分析流失客户并把他们赢回来，是关系营销和 CRM 的客户保留做法。",
            },
            "C": {
                "en": "Transaction marketing spends nothing on keeping customers; and no retention spending brings churn to zero.",
                "zh": "交易营销不在保留客户上花钱；而且任何保留投入都不能使流失率降为零。",
            },
            "D": {
                "en": "A record of each customer's needs is the customer information base of CRM, which transaction marketing does not keep.",
                "zh": "记录每位客户的需要是 CRM 的客户信息库，交易营销并不建立这样的记录。",
            },
        },
    ),
    MultipleChoice(
        id="ch01.e4",
        heading={
            "en": "What a dearer retention programme does to the break-even",
            "zh": "保留计划更贵时盈亏平衡点如何变化",
        },
        stem={
            "en": f"In the chapter, the {bi('break_even_retention')} at which the relationship strategy beats the "
            "transaction strategy in the long run was 0.779 when keeping customers cost nothing and 0.806 at ¥15 "
            "per customer kept. Why does it rise with the retention cost?",
            "zh": f"本章中，长期看关系策略胜过交易策略的{zh('break_even_retention')}，在保留客户不花钱时为 0.779，在每保留一位客户花费 ¥15 时为 0.806。为什么它随保留成本上升？",
        },
        options={
            "A": {
                "en": "Every yuan spent per customer kept lowers the margin of each kept customer, so more of them must be kept to earn the same profit.",
                "zh": "每保留一位客户所花的每一元钱都降低了这位客户的毛利，因此必须保留更多客户才能赚到同样的利润。",
            },
            "B": {
                "en": "A higher retention cost raises the number of customers acquired each year.",
                "zh": "保留成本越高，每年获取的客户越多。",
            },
            "C": {
                "en": "The transaction strategy also pays the retention cost, so its profit rises.",
                "zh": "交易策略也要支付保留成本，所以它的利润上升。",
            },
            "D": {
                "en": "The break-even rate rises because the discount rate rises with the cost.",
                "zh": "盈亏平衡保留率上升，是因为折现率随成本上升。",
            },
        },
        correct="A",
        explanation={
            "en": "The steady-state profit (m - c_r r) A / (1 - r) - c_a A falls with c_r, so r must be higher to reach the transaction strategy's profit.",
            "zh": "稳态利润 (m - c_r r) A / (1 - r) - c_a A 随 c_r 增加而下降，因此 r 必须更高才能达到交易策略的利润。",
        },
        why_not={
            "B": {
                "en": "Acquisition (400 a year) is a separate parameter; the retention cost does not change it.",
                "zh": "客户获取（每年 400 位）是一个单独的参数，保留成本不会改变它。",
            },
            "C": {
                "en": "In the chapter's comparison the transaction strategy pays no retention cost; its profit does not move.",
                "zh": "在本章的比较中，交易策略不支付保留成本，它的利润不变。",
            },
            "D": {
                "en": "The leaky-bucket comparison is undiscounted steady-state profit; no discount rate enters.",
                "zh": "漏桶比较的是不折现的稳态利润，其中没有折现率。",
            },
        },
    ),
    ShortAnswer(
        id="ch01.e5",
        heading={"en": "Transaction and relationship marketing compared", "zh": "交易营销与关系营销的比较"},
        stem={
            "en": f"Compare {bi('transaction_marketing')} with {bi('relationship_marketing')} on four aspects: the unit of "
            "marketing, the tools, how success is measured, and what happens to a customer who leaves.",
            "zh": f"请从四个方面比较{zh('transaction_marketing')}与{zh('relationship_marketing')}：营销的单位、营销工具、衡量成功的方法，以及客户离开时会怎样。",
        },
        answer_points=(
            {
                "en": "Unit: the single order or sale against the relationship with a customer over time.",
                "zh": "单位：一笔订单或一次销售，与长期的客户关系相对。",
            },
            {
                "en": f"Tools: the {bi('marketing_mix')} used on the market as a whole against individual contact, service and a record of each customer.",
                "zh": f"工具：面向整个市场使用的{zh('marketing_mix')}，与针对个人的接触、服务和每位客户的记录相对。",
            },
            {
                "en": "Measure: sales volume and market share against retention, share of the customer and customer (lifetime) value.",
                "zh": "衡量：销售量和市场份额，与客户保留、客户份额和客户（终身）价值相对。",
            },
            {
                "en": "A customer who leaves is replaced by a new one (no cost counted) against a loss to prevent or win back.",
                "zh": "客户离开：由新客户替代（不计成本），与需要防止或挽回的损失相对。",
            },
            {
                "en": "A good answer links the contrast to the leaky bucket: pouring in customers cannot grow the base past A/(1 - r).",
                "zh": "好的回答会把这种对比与漏桶联系起来：不断灌入新客户，客户规模也不能超过 A/(1 - r)。",
            },
        ),
    ),
    ShortAnswer(
        id="ch01.e6",
        heading={
            "en": "Why the relationship strategy first falls behind",
            "zh": "为什么关系策略一开始会落后",
        },
        stem={
            "en": "In the chapter's simulation the relationship strategy's cumulative profit leads in years 1-3, the "
            "transaction strategy leads from year 4 to year 9, and the relationship strategy is ahead for good from "
            "year 10. Explain the three phases with the parameters of the two strategies.",
            "zh": "在本章的模拟中，关系策略的累计利润在第 1—3 年领先，交易策略从第 4 年到第 9 年领先，关系策略从第 10 年起一直领先。请用两种策略的参数解释这三个阶段。",
        },
        answer_points=(
            {
                "en": "Years 1-3: the transaction strategy pays ¥150 for each of 1,000 customers a year against 400, so it starts deeper in the red.",
                "zh": "第 1—3 年：交易策略每年为 1,000 位客户各付 ¥150（关系策略为 400 位），因此一开始亏损更多。",
            },
            {
                "en": "Years 4-9: its larger base (it pours in 1,000 a year) earns more margin than the relationship base, which grows slowly.",
                "zh": "第 4—9 年：交易策略的客户规模更大（每年灌入 1,000 位），赚到的毛利多于增长缓慢的关系策略客户群。",
            },
            {
                "en": "The transaction base stalls near its ceiling A/(1 - r) within a few years; the relationship base keeps growing towards a higher ceiling, slowly because r is high (long memory).",
                "zh": "交易策略的客户规模在几年内就停滞在上限 A/(1 - r) 附近；关系策略的客户规模继续向更高的上限增长，但因为 r 很高（记忆长）而增长缓慢。",
            },
            {
                "en": "From year 10 the relationship strategy's higher steady-state profit (¥205,542 against ¥121,003 a year) has made up the early gap.",
                "zh": "从第 10 年起，关系策略更高的稳态利润（每年 ¥205,542，交易策略为 ¥121,003）弥补了早期的差距。",
            },
            {
                "en": "Lesson: judging a retention strategy on its first years' profit understates it; the comparison needs the long run (or a discounted value).",
                "zh": "启示：按最初几年的利润评判保留策略会低估它；比较需要看长期（或折现后的价值）。",
            },
        ),
    ),
    ShortAnswer(
        id="ch01.e7",
        heading={"en": "Simulation against the closed form", "zh": "模拟与解析解"},
        stem={
            "en": "The chapter checks the closed form N* = A/(1 - r) against the average of 200 random runs of the "
            "leaky bucket, in which each customer stays with probability r and the number acquired is Poisson. "
            "Why do the average and N* differ at all, how do you judge whether the difference matters, and why "
            "does the relationship strategy's expected path still lie below its ceiling after 60 years?",
            "zh": "本章用漏桶的 200 次随机模拟的平均值检验解析解 N* = A/(1 - r)：在模拟中，每位客户以概率 r 留下，获取的客户数服从泊松分布。为什么平均值与 N* 会有差异？如何判断这一差异是否重要？为什么 60 年后关系策略的期望路径仍然低于它的上限？",
        },
        answer_points=(
            {
                "en": "Random runs differ by chance: each run's base is a sum of random stays and random acquisitions.",
                "zh": "随机模拟的结果因偶然性而不同：每次模拟的客户规模都是随机留下与随机获取之和。",
            },
            {
                "en": "The standard error of the average (the runs' standard deviation divided by the square root of 200) measures that chance; a gap within about two standard errors is noise.",
                "zh": "平均值的标准误（各次模拟的标准差除以 200 的平方根）衡量这种偶然性；差距在大约两个标准误以内就是噪声。",
            },
            {
                "en": "The expected path approaches N* geometrically, N_t = N* + (N_0 - N*) r^t, so with r close to 1 the approach is slow.",
                "zh": "期望路径以几何速度接近 N*：N_t = N* + (N_0 - N*) r^t，因此 r 接近 1 时接近得很慢。",
            },
            {
                "en": "So the simulation confirms the formula; the formula gives the long-run level, the simulation the path and its spread.",
                "zh": "所以模拟验证了公式；公式给出长期水平，模拟给出路径及其波动。",
            },
        ),
    ),
    Computational(
        id="ch01.e8",
        heading={"en": "A steady-state customer base", "zh": "稳态客户规模"},
        stem={
            "en": "A firm wins {acquired:,} new customers a year and keeps {retention} of its customers from one year to the next. "
            "What is its steady-state customer base N*? Confirm with `customer_base.steady_state_base`.",
            "zh": "一家企业每年赢得 {acquired:,} 位新客户，每年保留上一年客户中 {retention} 的比例。它的稳态客户规模 N* 是多少？请用 `customer_base.steady_state_base` 验证。",
        },
        draw=lambda rng: {
            "acquired": int(rng.choice([200, 300, 500, 800, 1200])),
            "retention": float(rng.choice([0.55, 0.6, 0.7, 0.75, 0.85, 0.9])),
        },
        solve=lambda acquired, retention: _steady_base(acquired, retention),
        method={
            "en": "N* = A / (1 - r) = {acquired} / (1 - {retention}).",
            "zh": "N* = A / (1 - r) = {acquired} / (1 - {retention})。",
        },
        unit={"en": "customers", "zh": "位客户"},
        decimals=1,
        tolerance=0.5,
        points=4,
    ),
    Computational(
        id="ch01.e9",
        heading={"en": "The base after a few years", "zh": "几年后的客户规模"},
        stem={
            "en": "A new firm (no customers at the start) wins {acquired:,} customers a year and keeps {retention} of them "
            "each year. How many customers does it have at the end of year {year}, on the expected path "
            "N_t = r N_(t-1) + A (`customer_base.simulate_base` without a random generator)?",
            "zh": "一家新企业（开始时没有客户）每年赢得 {acquired:,} 位客户，每年保留其中 {retention} 的比例。按期望路径 N_t = r N_(t-1) + A（不带随机数生成器的 `customer_base.simulate_base`），第 {year} 年年末它有多少位客户？",
        },
        draw=lambda rng: {
            "acquired": int(rng.choice([300, 500, 700, 1000])),
            "retention": float(rng.choice([0.5, 0.6, 0.65, 0.75, 0.8])),
            "year": int(rng.integers(3, 9)),
        },
        solve=lambda acquired, retention, year: _base_in_year(acquired, retention, year),
        method={
            "en": "N_t = A (1 - r^t) / (1 - r) with N_0 = 0, A = {acquired}, r = {retention}, t = {year}; or repeat r N + A year by year.",
            "zh": "N_t = A (1 - r^t) / (1 - r)，其中 N_0 = 0，A = {acquired}，r = {retention}，t = {year}；也可以逐年重复计算 r N + A。",
        },
        unit={"en": "customers", "zh": "位客户"},
        decimals=1,
        tolerance=1.0,
        points=6,
    ),
    Computational(
        id="ch01.e10",
        heading={"en": "Steady-state profit of a strategy", "zh": "一种策略的稳态利润"},
        stem={
            "en": "A strategy wins {acquired:,} customers a year at ¥{acquisition_cost} each, keeps {retention} of its customers "
            "each year at a retention cost of ¥{retention_cost} per customer kept, and earns a margin of ¥{margin} per "
            "customer and year. What is its profit per year once the base has settled (the steady state)?",
            "zh": "一种策略每年赢得 {acquired:,} 位客户，每位的获取成本为 ¥{acquisition_cost}；每年保留 {retention} 的客户，每保留一位客户的保留成本为 ¥{retention_cost}；每位客户每年带来 ¥{margin} 的毛利。客户规模稳定之后（稳态），它每年的利润是多少？",
        },
        draw=lambda rng: {
            "acquired": int(rng.choice([400, 600, 1000])),
            "retention": float(rng.choice([0.6, 0.7, 0.8, 0.85])),
            "margin": int(rng.choice([80, 100, 120])),
            "acquisition_cost": int(rng.choice([100, 150, 200])),
            "retention_cost": int(rng.choice([0, 10, 15, 20])),
        },
        solve=lambda **p: _steady_profit(**p),
        method={
            "en": "Profit* = m N* - c_a A - c_r r N* with N* = A / (1 - r): margin ¥{margin}, A = {acquired}, r = {retention}, "
            "c_a = ¥{acquisition_cost}, c_r = ¥{retention_cost} (`customer_base.steady_state_profit`).",
            "zh": "稳态利润 = m N* - c_a A - c_r r N*，其中 N* = A / (1 - r)：毛利 ¥{margin}，A = {acquired}，r = {retention}，c_a = ¥{acquisition_cost}，c_r = ¥{retention_cost}（`customer_base.steady_state_profit`）。",
        },
        unit={"en": "CNY per year", "zh": "每年 ¥{}"},
        decimals=0,
        tolerance=1.0,
        points=8,
    ),
    Computational(
        id="ch01.e11",
        heading={"en": "A break-even retention rate", "zh": "盈亏平衡保留率"},
        stem={
            "en": "A transaction strategy wins 1,000 customers a year and keeps {t_retention} of them; a relationship strategy "
            "wins 400 a year and pays ¥{retention_cost} a year per customer kept. Both earn ¥{margin} per customer and year "
            "and pay ¥{acquisition_cost} to win a customer. Above which retention rate does the relationship strategy earn "
            "more in the steady state? Give it as a fraction.",
            "zh": "交易策略每年赢得 1,000 位客户，保留其中 {t_retention} 的比例；关系策略每年赢得 400 位客户，每保留一位客户每年花费 ¥{retention_cost}。两种策略每位客户每年的毛利都是 ¥{margin}，赢得一位客户都要花 ¥{acquisition_cost}。保留率高于多少时，关系策略的稳态利润更高？请以小数表示。",
        },
        draw=lambda rng: {
            "margin": int(rng.choice([80, 100, 120, 150])),
            "acquisition_cost": int(rng.choice([100, 150, 200])),
            "retention_cost": int(rng.choice([5, 10, 20, 25])),
            "t_retention": float(rng.choice([0.55, 0.6, 0.65])),
        },
        solve=lambda **p: _breakeven(**p),
        method={
            "en": "Compute the transaction strategy's steady-state profit P_T, then solve (m - c_r r) A / (1 - r) - c_a A = P_T "
            "for r with A = 400, m = ¥{margin}, c_a = ¥{acquisition_cost}, c_r = ¥{retention_cost} "
            "(`customer_base.breakeven_retention`).",
            "zh": "先算出交易策略的稳态利润 P_T，再令 A = 400，m = ¥{margin}，c_a = ¥{acquisition_cost}，c_r = ¥{retention_cost}，对 r 求解 (m - c_r r) A / (1 - r) - c_a A = P_T（`customer_base.breakeven_retention`）。",
        },
        decimals=4,
        tolerance=0.0005,
        points=8,
    ),
]
