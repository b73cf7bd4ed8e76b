"""Validation stage: structural schema, then the rule catalogue.

:func:`check_source` takes a source path to a tree that is safe to model, or to the
diagnostics that say why not. Registers are loaded and checked once per run through a
:class:`Registers` cache shared by all documents of the run.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from pipeline.diagnostics import Diagnostic, error, has_errors
from pipeline.load import NAMESPACE, display_path, load, q
from pipeline.register import Register, build_register, register_path
from pipeline.rules import RuleContext, run_rules

SCHEMAS_DIR = Path(__file__).resolve().parent.parent / "schemas"
"""Where the structural schema lives (``schemas/`` at the top of the project)."""

SCHEMA_FILE = SCHEMAS_DIR / "undoc-1.0.xsd"


@functools.cache
def structural_schema() -> etree.XMLSchema:
    """The XSD of the vocabulary, parsed once per process."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(SCHEMA_FILE), parser))


_CLARK = re.compile(r"\{" + re.escape(NAMESPACE) + r"\}")


def schema_diagnostics(tree: etree._ElementTree, path: str) -> list[Diagnostic]:
    """Structural problems, one diagnostic per schema error, with line and column."""
    schema = structural_schema()
    if schema.validate(tree):
        return []
    return [
        error(path, entry.line, "schema", _CLARK.sub("", entry.message), entry.column or 0)
        for entry in schema.error_log
    ]


def root_diagnostics(tree: etree._ElementTree, path: str, expected: str) -> list[Diagnostic]:
    """The root must be the expected element of the vocabulary's namespace."""
    root = tree.getroot()
    qname = etree.QName(root)
    if qname.namespace != NAMESPACE:
        found = f"{{{qname.namespace}}}" if qname.namespace else "no namespace"
        return [error(path, root.sourceline, "not-undoc",
                      f'the root element <{qname.localname}> is in {found}; declare xmlns="{NAMESPACE}"')]
    if qname.localname != expected:
        return [error(path, root.sourceline, "wrong-root",
                      f"expected a <{expected}> here, found <{qname.localname}>")]
    return []


@dataclass
class Registers:
    """Registers loaded in this run, keyed by resolved path; each is checked once."""

    loaded: dict[Path, tuple[Register | None, list[Diagnostic]]] = field(default_factory=dict)

    def get(self, path: Path) -> tuple[Register | None, list[Diagnostic]]:
        """The register at ``path`` and the problems of its own file."""
        if path not in self.loaded:
            self.loaded[path] = _load_register(path)
        return self.loaded[path]


def _load_register(path: Path) -> tuple[Register | None, list[Diagnostic]]:
    loaded, problems = load(path)
    if loaded.tree is None:
        return None, problems
    problems = root_diagnostics(loaded.tree, loaded.path, "register") or schema_diagnostics(loaded.tree, loaded.path)
    if problems:
        return None, problems
    return build_register(loaded.tree, loaded.path), []


@dataclass(frozen=True)
class Checked:
    """The outcome of validating one source."""

    path: str
    tree: etree._ElementTree | None
    register: Register | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        """True when nothing stops the document from being built."""
        return self.tree is not None and self.register is not None and not has_errors(self.diagnostics)


def is_inside(path: Path, folder: Path) -> bool:
    """True when ``path`` (resolved) lies within ``folder``."""
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def check_source(path: Path, registers: Registers, sources_root: Path) -> Checked:
    """Load and validate one document source; its register must lie under ``sources_root``."""
    loaded, problems = load(path)
    shown = loaded.path
    if loaded.tree is None:
        return Checked(shown, None, None, tuple(problems))
    tree = loaded.tree
    problems = root_diagnostics(tree, shown, "document")
    if problems:
        return Checked(shown, None, None, tuple(problems))
    problems = schema_diagnostics(tree, shown)
    if problems:
        return Checked(shown, None, None, tuple(problems))

    register: Register | None = None
    session = tree.getroot().find(q("session"))
    assert session is not None  # the schema requires it
    reference = session.get("register", "")
    target = register_path(path, reference)
    if not is_inside(target, sources_root):
        problems.append(error(shown, session.sourceline, "register-outside",
                              f"the register {reference!r} lies outside the sources folder "
                              f"{display_path(sources_root)}; keep registers under it"))
    elif not target.is_file():
        problems.append(error(shown, session.sourceline, "register-missing",
                              f"the register {reference!r} does not exist ({display_path(target)})"))
    else:
        register, register_problems = registers.get(target)
        if register is None:
            problems.append(error(shown, session.sourceline, "register-invalid",
                                  f"the register {reference!r} has errors; fix them first "
                                  f"({len(register_problems)} reported for {display_path(target)})"))

    text = path.read_text(encoding="utf-8", errors="replace")
    context = RuleContext(shown, tree.getroot(), register, tuple(text.splitlines()))
    problems.extend(run_rules(context))
    return Checked(shown, tree, register, tuple(problems))


def register_diagnostics(registers: Registers) -> list[Diagnostic]:
    """The problems of every register loaded in this run, each reported once."""
    return [d for _, (_, problems) in sorted(registers.loaded.items()) for d in problems]
