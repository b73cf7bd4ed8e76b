"""Imported last by the fork server of a local build: what every worker needs, made once.

Workers are forked from the fork server, so what it holds is shared with all of them until
written. Importing this module prepares the pipeline's own caches (the source schema) and
calls ``prepare()`` of each renderer module already imported (those of the build's formats)
that has one: compiled schemas and templates are then made once for the whole pool rather
than once per worker. A failure here is left for the workers to meet and report, document
by document, as they would without it.
"""

from __future__ import annotations

import contextlib
import sys

from pipeline.formats import REGISTRY
from pipeline.resources import families, family_coverage
from pipeline.validate.check import structural_schema


def prepare() -> None:
    """Build the caches of the pipeline and of the renderers imported so far."""
    structural_schema()
    for family in families():
        family_coverage(family)  # the fonts' character maps, read once for every worker
    for module_name in REGISTRY.values():
        hook = getattr(sys.modules.get(module_name), "prepare", None)
        if hook is not None:
            hook()


with contextlib.suppress(Exception):
    prepare()
