"""Kept so that exercise notebooks saved before the exercises became one package
(``from crmlib.check import check``) still run. New code imports
``from crmlib.exercises import check``."""

from crmlib.exercises import check

__all__ = ["check"]
