"""Document symbols, resolution numbers, links and job numbers."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from pipeline.genres import genre
from pipeline.sources.load import q
from pipeline.validate.rules.base import DOCUMENT, REGISTER, Finding, RuleContext, _issue_date, rule

SYMBOL_GRAMMAR = re.compile(
    r"""
    (?P<organ>[A-Z]{1,8})                                   # A, S, E, ST, CCPR ...
    (?P<bodies>(?:/[A-Z]{1,10}(?:\.\d+)?)*)                 # /AC.292, /C.1, /HRC, /CN.15, /SGB, /RES
    (?:/(?:\d{4}|\d{1,3}))?                                 # year or session: /2021, /77
    /(?:INF/\d+|(?:CRP|L|R|WP|PV|SR)\.\d+|\d+)              # number or series component
    (?:\((?:\d{4}|[IVXLC]+)\))?                              # the year of a Council resolution: (2017)
    (?P<suffixes>(?:/(?:Add|Corr|Rev|Amend)\.\d+|/Summary)*) # /Add.1, /Rev.2 ...
    \*?                                                      # reissue
    """,
    re.VERBOSE,
)
"""The UN document symbol grammar (UN Editorial Manual; see docs)."""

ORGAN_PREFIX = {
    "general-assembly": "A",
    "security-council": "S",
    "economic-and-social-council": "E",
    "secretariat": "ST",
}
"""The first component of the symbols of each organ's documents."""


def symbol_problem(symbol: str) -> str | None:
    """Why ``symbol`` is not a UN document symbol, or None when it is one."""
    if not symbol:
        return "the symbol is empty"
    if re.search(r"\s", symbol):
        return f"the symbol {symbol!r} contains a space; symbols are written without spaces"
    if SYMBOL_GRAMMAR.fullmatch(symbol) is None:
        return (f"{symbol!r} does not follow the symbol grammar organ/body/year/number "
                f"(e.g. A/AC.292/2023/1, A/77/275, A/RES/75/240, A/AC.292/2025/CRP.1)")
    return None


def _masthead_symbol(ctx: RuleContext) -> tuple[etree._Element, str] | None:
    element = ctx.root.find(f"{q('masthead')}/{q('symbol')}")
    if element is None:
        return None
    symbol = (element.text or "").strip()
    return (element, symbol) if SYMBOL_GRAMMAR.fullmatch(symbol) else None


@rule("symbol-grammar", "Document symbols (masthead, references, register) follow the UN symbol grammar.",
      applies_to=(DOCUMENT, REGISTER))
def _symbol_grammar(ctx: RuleContext) -> Iterator[Finding]:
    """Organ, subsidiary bodies, optional year or session, number or series component
    (/L.n, /R.n, /CRP.n, /INF/n …), optional suffixes (/Add.n, /Corr.n, /Rev.n) and a
    trailing * for a reissue: A/AC.292/2023/2, A/77/275, A/RES/75/240."""
    for element in ctx.root.iter(q("symbol")):
        problem = symbol_problem((element.text or "").strip())
        if problem:
            yield element, problem
    for element in ctx.root.iter(q("doc-ref")):
        symbol = element.get("symbol") or (element.text or "").strip()
        problem = symbol_problem(symbol)
        if problem:
            yield element, f"the document reference: {problem}"
    for tag, attribute in (("agenda", "symbol"), ("established-by", "symbol"), ("topics", "source")):
        for element in ctx.root.iter(q(tag)):
            value = element.get(attribute)
            if value is not None:
                problem = symbol_problem(value)
                if problem:
                    yield element, f"{tag}/@{attribute}: {problem}"


@rule("symbol-organ", "The symbol begins with the organ's letter (A/ for the General Assembly).")
def _symbol_organ(ctx: RuleContext) -> Iterator[Finding]:
    """The masthead's ``<organ>`` and the first component of its symbol agree: A/ General
    Assembly, S/ Security Council, E/ Economic and Social Council, ST/ Secretariat."""
    found = _masthead_symbol(ctx)
    organ = (ctx.root.findtext(f"{q('masthead')}/{q('organ')}") or "").strip()
    if found is None or organ not in ORGAN_PREFIX:
        return
    element, symbol = found
    expected = ORGAN_PREFIX[organ]
    if symbol.split("/")[0] != expected:
        yield element, (f"{symbol} is not a symbol of the {organ.replace('-', ' ')}, whose symbols "
                        f"begin with {expected}/; correct the symbol or the organ")


@rule("symbol-distribution", "An L. document or a Limited draft is limited, an R. document restricted.")
def _symbol_distribution(ctx: RuleContext) -> Iterator[Finding]:
    """The series component of the symbol fixes the distribution: /L.n documents (drafts)
    are issued for limited distribution, /R.n documents for restricted distribution. A document
    whose genre has a distribution of its own (a limited-draft: limited) has it whatever its symbol."""
    found = _masthead_symbol(ctx)
    distribution_element = ctx.root.find(f"{q('masthead')}/{q('distribution')}")
    if found is None or distribution_element is None:
        return
    _, symbol = found
    distribution = (distribution_element.text or "").strip()
    for series, required in (("L", "limited"), ("R", "restricted")):
        if re.search(rf"/{series}\.\d+", symbol) and distribution != required:
            yield distribution_element, (
                f"{symbol} is an {series}. document, so its distribution is {required}, not "
                f"{distribution}; write <distribution>{required}</distribution> or correct the symbol")
            return
    kind = str(ctx.root.get("type", ""))
    required = genre(kind).distribution
    if required and distribution != required:
        yield distribution_element, (
            f"a document of type “{kind}” is issued for {required} distribution, not {distribution}; "
            f"write <distribution>{required}</distribution> or correct the type")


@rule("symbol-year", "A year in the symbol is the year of issue.")
def _symbol_year(ctx: RuleContext) -> Iterator[Finding]:
    """When the symbol carries a year (A/AC.292/2023/2), it is the year of the issue date."""
    found, issued = _masthead_symbol(ctx), _issue_date(ctx)
    if found is None or issued is None:
        return
    element, symbol = found
    _, date = issued
    years = [int(part) for part in symbol.split("/")[1:] if re.fullmatch(r"(19|20)\d\d", part)]
    if years and years[0] != date.year:
        yield element, (f"the symbol {symbol} carries the year {years[0]} but the document is issued "
                        f"on {date}; use the symbol of {date.year} or correct the issue date")


RESOLUTION_NUMBERS = {
    "A": (re.compile(r"\d+/\d+|\d+ \([IVXLC]+\)"), "75/240 (or 1514 (XV))"),
    "S": (re.compile(r"\d+ \(\d{4}\)"), "2341 (2017)"),
    "E": (re.compile(r"\d{4}/\d+"), "2023/5"),
}
"""How each organ numbers its resolutions, and an example (``organ`` of ``<resolution-ref>``)."""


@rule("resolution-number", "Resolution references are numbers as each organ prints them: 75/240, 2341 (2017).")
def _resolution_number(ctx: RuleContext) -> Iterator[Finding]:
    """``<resolution-ref>`` holds the number as printed: of the General Assembly (the default
    ``organ="A"``) session/number (75/240) or a number with a session in roman numerals (1514
    (XV)); of the Security Council (``organ="S"``) a number and its year (2341 (2017)); of the
    Economic and Social Council (``organ="E"``) year/number (2023/5)."""
    for element in ctx.root.iter(q("resolution-ref")):
        number = (element.text or "").strip()
        organ = element.get("organ", "A")
        pattern, example = RESOLUTION_NUMBERS.get(organ, RESOLUTION_NUMBERS["A"])
        if not pattern.fullmatch(number):
            yield element, f"resolution number {number!r} is not of the form {example}"


@rule("link-scheme", "Links are web (https:, http:) or mail (mailto:) addresses.")
def _link_scheme(ctx: RuleContext) -> Iterator[Finding]:
    """A published document links to public addresses only: no file:, javascript: or data:
    addresses, no relative paths, no spaces."""
    for link in ctx.root.iter(q("link")):
        href = link.get("href", "")
        if re.search(r"\s", href):
            yield link, f"the link address {href!r} contains white space; write it without"
        elif not re.match(r"(https?://[^/\s]+|mailto:[^\s@]+@[^\s@]+)", href):
            yield link, (f"the link address {href!r} is not a web or mail address; write "
                         f"https://…, http://… or mailto:…")


@rule("job-number-form", "The job number has the form YY-NNNNN (e.g. 23-04216).")
def _job_number_form(ctx: RuleContext) -> Iterator[Finding]:
    """Two digits of the year, a hyphen, five digits; the language letter "(E)" is not part of
    the source: it follows from the document's language."""
    for element in ctx.root.iter(q("job-number")):
        value = (element.text or "").strip()
        if re.fullmatch(r"\d{2}-\d{5}", value):
            continue
        if re.fullmatch(r"\d{2}-\d{5}\s*\(?[A-Z]\)?", value):
            yield element, (f"the job number {value!r} carries a language letter; write only "
                            f"{value[:8]}: the letter follows from the document's language")
        else:
            yield element, f"the job number {value!r} is not of the form YY-NNNNN (e.g. 23-04216)"


@rule("job-number-year", "The job number's year (YY) is the year of the issue date.")
def _job_number_year(ctx: RuleContext) -> Iterator[Finding]:
    """Job numbers are assigned in the year of issue: 23-04216 is a number of 2023."""
    issued = _issue_date(ctx)
    if issued is None:
        return
    _, date = issued
    for element in ctx.root.iter(q("job-number")):
        value = (element.text or "").strip()
        if re.fullmatch(r"\d{2}-\d{5}", value) and int(value[:2]) != date.year % 100:
            yield element, (f"the job number {value} is a number of 20{value[:2]} but the document is "
                            f"issued on {date}; a job number is assigned in the year of issue: use a "
                            f"{date.year % 100:02d}-NNNNN number, or correct the issue date")


# ---------------------------------------------------------------- "(continued)"
