"""What a build tells: one outcome per source, and the closing summary line."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.diagnostics import Diagnostic, counted
from pipeline.validate.check import fails


@dataclass(frozen=True)
class DocumentOutcome:
    """What happened to one source."""

    path: str
    diagnostics: tuple[Diagnostic, ...]
    written: tuple[str, ...] = ()
    """Names of the files written in the output folder."""
    unchanged: tuple[str, ...] = ()
    """Names of the files left as they were (already holding the same bytes)."""
    built: bool = False
    kind: str = "document"
    skipped: bool = False
    """True when the document was up to date and not built again (see :mod:`pipeline.build.manifest`)."""


@dataclass
class BuildReport:
    """The outcome of a run: one entry per source, plus problems of shared registers."""

    outcomes: list[DocumentOutcome] = field(default_factory=list)
    register_problems: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0
    seconds_by_format: dict[str, float] = field(default_factory=dict)
    strict: bool = False
    interrupted: bool = False
    """True when the run was asked to stop before it reached every source."""
    run_problems: list[Diagnostic] = field(default_factory=list)
    """Problems of the run itself (a build manifest that could not be written)."""
    workers: int = 1
    """Documents built at once (worker processes, or Dask worker threads)."""

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Every diagnostic of the run, sorted by file and line."""
        return sorted([*self.register_problems, *self.run_problems,
                       *(d for o in self.outcomes for d in o.diagnostics)])

    @property
    def failed(self) -> list[DocumentOutcome]:
        """Documents that could not be built."""
        return [o for o in self.outcomes if not o.built and o.kind == "document"]

    def exit_status(self, *, strict: bool | None = None) -> int:
        """0 when clean, 1 when a source has errors (or warnings, when ``strict``)."""
        strict = self.strict if strict is None else strict
        return 1 if fails(self.diagnostics, strict=strict) else 0


def summary(report: BuildReport) -> str:
    """One closing line: documents built and failed, files written, time."""
    documents = [o for o in report.outcomes if o.kind == "document"]
    built = sum(1 for o in documents if o.built and not o.skipped)
    skipped = sum(1 for o in documents if o.skipped)
    written = sum(len(o.written) for o in documents)
    unchanged = sum(len(o.unchanged) for o in documents)
    failed = [o.path for o in report.failed]
    per_format = ", ".join(f"{k} {v:.2f} s" for k, v in report.seconds_by_format.items())
    line = (f"built {built} of {counted(len(documents), 'document')}{f', {skipped} up to date' if skipped else ''}: "
            f"{counted(written, 'file')} written, {unchanged} unchanged, in {report.seconds:.2f} s")
    if report.workers > 1:
        line += f" by {report.workers} workers"
    if per_format:
        line += f" (rendering: {per_format})"
    registers = len(report.outcomes) - len(documents)
    if registers:
        line += f"; {counted(registers, 'register')} checked"
    if failed:
        line += f"; failed{' (strict: warnings count)' if report.strict else ''}: {', '.join(failed)}"
    if report.interrupted:
        line += "; interrupted: the remaining sources were not built"
    return line
