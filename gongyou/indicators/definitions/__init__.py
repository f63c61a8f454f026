"""Indicator definitions, one module per source app; importing this package registers them.

training, settlement and jobs indicators are registered by their modules when those apps
expose the selectors they need (see docs/domains/indicators.md, "Adding an indicator").
"""

from . import (  # noqa: F401
    cases,
    jobs,
    publicservices,
    recognition,
    settlement,
    stations,
    training,
    workers,
)
