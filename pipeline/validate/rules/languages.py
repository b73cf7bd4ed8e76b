"""Language codes and the layout wording of each language."""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from pipeline.sources.load import q
from pipeline.validate.rules.base import DOCUMENT, OFFICIAL_LANGUAGES, REGISTER, XML_LANG, Finding, RuleContext, rule


@rule("language-code", "Language codes name an official UN language (ar, zh, en, fr, ru, es).",
      applies_to=(DOCUMENT, REGISTER))
def _language_code(ctx: RuleContext) -> Iterator[Finding]:
    """``<language>``, ``<original-language>``, ``annex/@original-language`` and ``xml:lang``
    hold the ISO 639-1 code of one of the six official languages."""
    official = ", ".join(f"{code} ({name})" for code, name in OFFICIAL_LANGUAGES.items())
    candidates: list[tuple[etree._Element, str, str]] = []
    for tag in ("language", "original-language"):
        for element in ctx.root.iter(q(tag)):
            candidates.append((element, f"<{tag}>", (element.text or "").strip()))
    for annex in ctx.root.iter(q("annex")):
        if annex.get("original-language") is not None:
            candidates.append((annex, "the annex's original-language", annex.get("original-language", "")))
    for element in ctx.root.iter():
        if isinstance(element.tag, str) and element.get(XML_LANG) is not None:
            candidates.append((element, "xml:lang", element.get(XML_LANG, "")))
    for element, what, code in candidates:
        if code not in OFFICIAL_LANGUAGES:
            yield element, (f"{what} {code!r} is not an official language of the United Nations; "
                            f"write one of {official}")


# ---------------------------------------------------------------- symbols and numbers
