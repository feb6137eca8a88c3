"""Probabilistic models of customer behaviour: who is still a customer, how
often they will buy and how much they will spend.

Four models, each an estimator in the scikit-learn style (``fit`` returns the
model, fitted values end in ``_``), with the parameter names and the
log-likelihood of its paper and no hidden rescaling of time: a time unit is
whatever unit the data are in (weeks for the course's CDNOW summaries).

===============  ==============================================  ===========================
model            what it describes                               paper
===============  ==============================================  ===========================
:class:`BGNBD`   repeat transactions in continuous time, with    Fader, Hardie & Lee (2005a)
                 dropout just after a purchase
:class:`ParetoNBD`  repeat transactions, dropout at any time     Schmittlein, Morrison &
                                                                 Colombo (1987)
:class:`GammaGamma`  the mean value of a customer's transactions Fader, Hardie & Lee (2005b)
:class:`BGBB`    discrete opportunities (e.g. yearly donations)  Fader, Hardie & Shang (2010)
===============  ==============================================  ===========================

The package holds one module per model family: :mod:`~crmlib.models.bgnbd`,
:mod:`~crmlib.models.pareto_nbd`, :mod:`~crmlib.models.gamma_gamma`,
:mod:`~crmlib.models.bgbb` and :mod:`~crmlib.models.sbg` (the shifted-beta-geometric
model of contract renewals, Fader & Hardie 2007, also importable from
:mod:`crmlib.retention`), with what they share in ``_base``, the checks of a
fitted model in :mod:`~crmlib.models.diagnostics` and simulated customer bases in
:mod:`~crmlib.models.simulate`. Import every public name from ``crmlib.models``.

Every ``fit`` accepts scalars, arrays or pandas Series and optional
``weights`` (the number of customers with that history), groups identical
histories so each is computed once, and maximises the log-likelihood in
log-parameters with its analytic gradient (the Pareto/NBD, whose gradient
involves derivatives of the Gauss hypergeometric function, uses accurate
finite differences of its log-likelihood). A fit that cannot converge, or data
that cannot identify the model (nobody repeats), raise :class:`ModelFitError`
or :class:`~crmlib.validation.DataError` with a sentence saying why.

Sizes that allocate memory or time in proportion have documented caps, far above
any course use: ``MAX_OPPORTUNITIES`` (1,000 discrete opportunities of the BG/BB,
``n_periods`` and ``n_future``), ``MAX_SIMULATED_CUSTOMERS`` (10,000,000
customers per ``simulate_*`` call) and ``MAX_SIMULATED_DRAWS`` (100,000,000
customer-periods per :func:`simulate_bgbb` call).

References
----------
Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005a). "Counting your customers"
the easy way: An alternative to the Pareto/NBD model. Marketing Science 24(2), 275-284.

Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005b). RFM and CLV: Using iso-value
curves for customer base analysis. Journal of Marketing Research 42(4), 415-430.

Fader, P. S., Hardie, B. G. S., & Shang, J. (2010). Customer-base analysis in a
discrete-time noncontractual setting. Marketing Science 29(6), 1086-1108.

Schmittlein, D. C., Morrison, D. G., & Colombo, R. (1987). Counting your customers:
Who are they and what will they do next? Management Science 33(1), 1-24.

Fader, P. S., & Hardie, B. G. S. (2005). A note on deriving the Pareto/NBD model and
related expressions. http://brucehardie.com/notes/009/
"""

from __future__ import annotations

from ._base import (
    MAX_OPPORTUNITIES,
    MAX_SIMULATED_CUSTOMERS,
    MAX_SIMULATED_DRAWS,
    ModelFitError,
)
from .bgbb import BGBB
from .bgnbd import BGNBD
from .diagnostics import (
    conditional_expectations_by_frequency,
    holdout_comparison,
    p_alive_check,
    plot_frequency_check,
    plot_tracking,
    repeat_transactions_tracking,
)
from .gamma_gamma import GammaGamma, spend_independence_check
from .pareto_nbd import ParetoNBD
from .sbg import ShiftedBetaGeometric
from .simulate import simulate_bgbb, simulate_bgnbd, simulate_gamma_gamma, simulate_pareto_nbd
from .uncertainty import MAX_PARAMETER_DRAWS, parameter_draws

__all__ = [
    "MAX_OPPORTUNITIES",
    "MAX_SIMULATED_CUSTOMERS",
    "MAX_SIMULATED_DRAWS",
    "ModelFitError",
    "BGNBD",
    "ParetoNBD",
    "GammaGamma",
    "spend_independence_check",
    "BGBB",
    "ShiftedBetaGeometric",
    "parameter_draws",
    "MAX_PARAMETER_DRAWS",
    "repeat_transactions_tracking",
    "conditional_expectations_by_frequency",
    "holdout_comparison",
    "p_alive_check",
    "plot_tracking",
    "plot_frequency_check",
    "simulate_bgnbd",
    "simulate_pareto_nbd",
    "simulate_gamma_gamma",
    "simulate_bgbb",
]
