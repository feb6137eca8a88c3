"""Kept so that exercise notebooks saved before the exercises became one package
(``from crmlib.check import check``) still run. New code imports
``from crmlib.exercises import check, set_student, parameters``."""

from crmlib.exercises import check, parameters, set_student

__all__ = ["check", "set_student", "parameters"]
