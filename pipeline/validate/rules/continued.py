"""“(continued)”: explicit overrides of what inference gives."""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from pipeline.diagnostics import Severity
from pipeline.model.assemble import continuation_key, programme_entries
from pipeline.sources.load import q
from pipeline.validate.rules.base import Finding, RuleContext, _shorten, rule


def _entry_label(element: etree._Element) -> str:
    local = etree.QName(element).localname
    if local == "agenda-item":
        return f"agenda item {element.get('ref')}"
    if local == "topic":
        return f"sub-topic ({element.get('ref')})"
    return f"the {local} “{_shorten(''.join(element.itertext()), 50)}”"


def _continuations(ctx: RuleContext) -> Iterator[tuple[etree._Element, str, bool, etree._Element | None]]:
    """For each entry with an explicit ``continued``: element, stated value, what inference
    gives, and the earlier occurrence that inference relies on."""
    for programme in ctx.root.iter(q("programme")):
        seen: dict[tuple[str, str], etree._Element] = {}
        for element in programme_entries(programme):
            key = continuation_key(element)
            earlier = seen.get(key) if key is not None else None
            yield element, element.get("continued", "auto"), earlier is not None, earlier
            if key is not None and key not in seen:
                seen[key] = element


def _day_of(element: etree._Element) -> str:
    for ancestor in element.iterancestors(q("day")):
        return str(ancestor.get("date", ""))
    return ""


@rule("continued-override", "An explicit continued= that contradicts inference gives its reason.",
      Severity.WARNING)
def _continued_override(ctx: RuleContext) -> Iterator[Finding]:
    """The pipeline prints "(continued)" after an agenda item, sub-topic or programme line
    already taken up earlier in the session. ``continued="yes"`` or ``"no"`` overrides that;
    where the override contradicts the inference, confirm it is deliberate by saying why in
    ``continued-reason="…"`` on the same element (the reason is not printed)."""
    for element, stated, inferred, earlier in _continuations(ctx):
        if stated not in ("yes", "no") or (stated == "yes") == inferred or element.get("continued-reason"):
            continue
        what = _entry_label(element)
        if inferred:
            assert earlier is not None
            because = (f"{what} was already taken up on {_day_of(earlier)} (line {earlier.sourceline}), "
                       f"so inference would print “(continued)”")
        else:
            because = f"{what} is not taken up earlier in the session, so inference would print none"
        yield element, (f'continued="{stated}" overrides the inference: {because}; if the override '
                        f'is deliberate, say why in continued-reason="…", otherwise remove continued=')


@rule("continued-reason-unneeded", "A continued-reason= confirms an override that needs one.",
      Severity.WARNING)
def _continued_reason_unneeded(ctx: RuleContext) -> Iterator[Finding]:
    """``continued-reason`` explains an explicit ``continued=`` that contradicts the inference;
    on an entry without one, or where the stated value is what inference gives anyway, it
    is stale."""
    for element, stated, inferred, _ in _continuations(ctx):
        if not element.get("continued-reason"):
            continue
        if stated not in ("yes", "no"):
            yield element, ('continued-reason= is given but continued= is not "yes" or "no"; '
                            "remove the reason or state the override")
        elif (stated == "yes") == inferred:
            yield element, (f'continued="{stated}" is what inference gives anyway; remove '
                            f"continued= and continued-reason=")


# ---------------------------------------------------------------- content and typography
