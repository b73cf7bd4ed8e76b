"""Validation stage: safe loading, structural schema, then the rule catalogue.

:func:`check_source` takes a source path to a tree that is safe to model, or to the
diagnostics that say why not. Registers are loaded and checked once per run through a
:class:`Registers` cache shared by all documents of the run; nothing outside a source's
sources folder is ever opened.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from pipeline.diagnostics import Diagnostic, Severity, error
from pipeline.model.register import Register, build_register, register_path
from pipeline.resources import schemas_dir
from pipeline.sources.discover import is_inside, sources_root_for
from pipeline.sources.load import NAMESPACE, attribute_position, display_path, load, q, tag_position
from pipeline.validate.rules import RuleContext, run_rules
from pipeline.validate.versions import Version, symbol_duplicates, version_diagnostics

SCHEMA_FILE = schemas_dir() / "undoc-1.0.xsd"
"""The XSD of the vocabulary."""


@functools.cache
def structural_schema() -> etree.XMLSchema:
    """The XSD of the vocabulary, parsed once per process."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(SCHEMA_FILE), parser))


_CLARK = re.compile(r"\{" + re.escape(NAMESPACE) + r"\}")


_ATTRIBUTE = re.compile(r"^Element '[^']*', attribute '([^']*)'")


def schema_diagnostics(tree: etree._ElementTree, path: str, lines: tuple[str, ...] = ()) -> list[Diagnostic]:
    """Structural problems, one diagnostic per schema error, with line and column.

    libxml2 gives no column; it is that of the offending element's start tag, or of the
    offending attribute, found from the error's path in the tree and the source's ``lines``.
    """
    schema = structural_schema()
    if schema.validate(tree):
        return []
    problems = []
    for entry in schema.error_log:
        line, column = _schema_position(tree, entry, lines)
        problems.append(error(path, line, "schema", _CLARK.sub("", entry.message), column))
    return problems


def _schema_position(tree: etree._ElementTree, entry: etree._LogEntry, lines: tuple[str, ...]) -> tuple[int, int]:
    """Line and column of the element (or attribute) a schema error is about."""
    line = entry.line or 0
    column = entry.column or 0
    if column:
        return line, column
    try:
        found = tree.xpath(entry.path) if entry.path else []
    except etree.XPathError:
        found = []
    element = found[0] if isinstance(found, list) and found and isinstance(found[0], etree._Element) else None
    if element is None:
        return line, 1 if line else 0
    attribute = _ATTRIBUTE.match(entry.message)
    if attribute:
        line, column = attribute_position(lines, element, attribute.group(1))
    else:
        line, column = tag_position(lines, element)
    return line or entry.line or 0, column or 1


def root_diagnostics(tree: etree._ElementTree, path: str, expected: str,
                     lines: tuple[str, ...] = ()) -> list[Diagnostic]:
    """The root must be the expected element of the vocabulary's namespace."""
    root = tree.getroot()
    qname = etree.QName(root)
    line, column = tag_position(lines, root)
    column = column or 1
    if qname.namespace != NAMESPACE:
        found = f"{{{qname.namespace}}}" if qname.namespace else "no namespace"
        return [error(path, line, "not-undoc",
                      f'the root element <{qname.localname}> is in {found}; declare xmlns="{NAMESPACE}"', column)]
    if qname.localname != expected:
        return [error(path, line, "wrong-root",
                      f"expected a <{expected}> here, found <{qname.localname}>", column)]
    return []


def root_name(tree: etree._ElementTree) -> str | None:
    """``document`` or ``register`` when the root is one of the vocabulary's roots."""
    qname = etree.QName(tree.getroot())
    return qname.localname if qname.namespace == NAMESPACE else None


def fails(diagnostics: Iterable[Diagnostic], *, strict: bool = False) -> bool:
    """True when ``diagnostics`` stop a document: any error, or any warning when ``strict``."""
    worst = Severity.WARNING if strict else Severity.ERROR
    return any(d.severity >= worst for d in diagnostics)


@dataclass
class Registers:
    """Registers loaded in this run, keyed by resolved path; each is checked once."""

    loaded: dict[Path, tuple[Register | None, list[Diagnostic]]] = field(default_factory=dict)

    def get(self, path: Path) -> tuple[Register | None, list[Diagnostic]]:
        """The register at ``path`` and the problems of its own file (warnings included)."""
        if path not in self.loaded:
            self.loaded[path] = check_register(path)
        return self.loaded[path]


def check_register(path: Path) -> tuple[Register | None, list[Diagnostic]]:
    """Load and validate one register; None with the problems when it has errors."""
    loaded, problems = load(path)
    if loaded.tree is None:
        return None, problems
    problems = (root_diagnostics(loaded.tree, loaded.path, "register", loaded.lines)
                or schema_diagnostics(loaded.tree, loaded.path, loaded.lines))
    if problems:
        return None, problems
    problems = run_rules(RuleContext(loaded.path, loaded.tree.getroot(), None, loaded.lines))
    if fails(problems):
        return None, problems
    return build_register(loaded.tree, loaded.path), problems


@dataclass(frozen=True)
class Checked:
    """The outcome of validating one source.

    ``diagnostics`` are the document's own; ``register_diagnostics`` are those of its
    register, reported once per run (see :func:`register_diagnostics`) but counted for
    every document that uses it.
    """

    path: str
    tree: etree._ElementTree | None
    register: Register | None
    diagnostics: tuple[Diagnostic, ...]
    register_diagnostics: tuple[Diagnostic, ...] = ()
    kind: str = "document"
    """``document``, or ``register`` when a register was named as a source."""
    lines: tuple[str, ...] = field(default=(), compare=False, repr=False)
    """The text of the source, line by line (for the columns of later diagnostics)."""

    def passes(self, *, strict: bool = False) -> bool:
        """True when nothing stops the document (with ``strict``, no warning either)."""
        if self.kind == "register":
            return self.register is not None and not fails(self.register_diagnostics, strict=strict)
        return (self.tree is not None and self.register is not None
                and not fails((*self.diagnostics, *self.register_diagnostics), strict=strict))

    @property
    def ok(self) -> bool:
        """True when nothing stops the document from being built."""
        return self.passes()


def check_source(path: Path, registers: Registers, sources_root: Path) -> Checked:
    """Load and validate one source; a register it refers to must lie under ``sources_root``.

    A register named as a source is checked as a register.
    """
    shown = display_path(path)
    if not is_inside(path, sources_root):
        return Checked(shown, None, None, (error(
            shown, 1, "source-outside",
            f"this file is a link to a file outside its sources folder {display_path(sources_root)}; "
            f"only files inside it are read", 1),))
    loaded, problems = load(path)
    if loaded.tree is None:
        return Checked(shown, None, None, tuple(problems))
    tree = loaded.tree
    if root_name(tree) == "register":
        checked_register, own = registers.get(path.resolve())
        return Checked(shown, None, checked_register, (), tuple(own), kind="register")
    problems = root_diagnostics(tree, shown, "document", loaded.lines)
    if problems:
        return Checked(shown, None, None, tuple(problems))
    problems = schema_diagnostics(tree, shown, loaded.lines)
    if problems:
        return Checked(shown, None, None, tuple(problems))

    register: Register | None = None
    register_problems: list[Diagnostic] = []
    session = tree.getroot().find(q("session"))
    assert session is not None  # the schema requires it
    reference = session.get("register", "")
    at, column = attribute_position(loaded.lines, session, "register")
    try:
        target: Path | None = register_path(path, reference)
    except (OSError, RuntimeError) as exc:
        target = None
        problems.append(error(shown, at, "register-missing",
                              f"the register {reference!r} cannot be found: {exc}", column))
    if target is None:
        pass
    elif not is_inside(target, sources_root):
        problems.append(error(shown, at, "register-outside",
                              f"the register {reference!r} lies outside the sources folder "
                              f"{display_path(sources_root)}; keep registers under it", column))
    elif not target.is_file():
        what = "is not a file" if target.exists() else "does not exist"
        problems.append(error(shown, at, "register-missing",
                              f"the register {reference!r} {what} ({display_path(target)})", column))
    else:
        register, register_problems = registers.get(target)
        if register is None:
            problems.append(error(shown, at, "register-invalid",
                                  f"the register {reference!r} has errors; fix them first "
                                  f"({sum(1 for d in register_problems if d.severity is Severity.ERROR)} "
                                  f"reported for {display_path(target)})", column))

    context = RuleContext(shown, tree.getroot(), register, loaded.lines)
    problems.extend(run_rules(context))
    return Checked(shown, tree, register, tuple(problems), tuple(register_problems), lines=loaded.lines)


def register_diagnostics(registers: Registers) -> list[Diagnostic]:
    """The problems of every register loaded in this run, each reported once."""
    return [d for _, (_, problems) in sorted(registers.loaded.items()) for d in problems]


def validate_sources(paths: Iterable[Path]) -> tuple[list[Checked], list[Diagnostic]]:
    """Validate sources without building; also return the problems of their registers.

    The language versions of one document among them are compared (see
    :mod:`pipeline.validate.versions`); a difference is added to both versions' diagnostics.
    """
    registers = Registers()
    checked = [check_source(p, registers, sources_root_for(p)) for p in paths]
    return with_version_diagnostics(checked), register_diagnostics(registers)


def with_version_diagnostics(checked: list[Checked]) -> list[Checked]:
    """``checked`` with the differences between language versions added to each version's diagnostics."""
    versions = [Version(c.path, c.tree.getroot(), c.lines) for c in checked
                if c.tree is not None and c.tree.getroot().tag == q("document")]
    found = [*version_diagnostics(versions), *symbol_duplicates(versions)]
    if not found:
        return checked
    by_path: dict[str, list[Diagnostic]] = {}
    for d in found:
        by_path.setdefault(d.path, []).append(d)
    return [dataclasses.replace(c, diagnostics=(*c.diagnostics, *by_path[c.path])) if c.path in by_path else c
            for c in checked]
