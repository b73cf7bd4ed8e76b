"""The PDF's structure tree, built from the page's HTML elements rather than from page boxes.

WeasyPrint 70 tags a PDF page by page, one structure element per layout box: an element that
runs over two pages becomes two elements (a table split by a page break is read as two
tables), the anonymous block around a floated label becomes a P inside the P, a footnote is
read where the footnote area is drawn (between the two halves of a table), the table head
repeated on a later page is read again, and the content of the page margins (running heads,
folios, the first-page footer) is marked as content but hangs in no tree.

:func:`add_tags` replaces WeasyPrint's tagging (see :func:`install`). It walks the same boxes
in the same order, but makes one structure element per HTML element, reused on every page
the element reaches, so that:

- a paragraph, list or table split by a page break stays one element;
- a paragraph or list-item label (``span.para-number``, ``span.item-label``, ``span.label``,
  ``span.bullet``) is a ``Lbl``: in a list item beside the item's ``LBody``, in a numbered
  paragraph the first child of its ``P``;
- a footnote call is a ``Reference`` followed at once by the ``Note`` it calls, so that the
  note is read after the text that calls it and nowhere else;
- the table head repeated on a later page, the margin boxes and anything else drawn outside
  the page's flow are artifacts (``/Artifact`` marked content, in no structure element);
- table cells carry their ``Scope`` and ``Headers`` from the HTML's ``scope`` attributes;
- an element with a ``lang`` attribute keeps its language (``/Lang``);
- elements that mean nothing to a reader (``main``, ``b``, ``i``, ``time``, an unlabelled
  ``span``) add no element: their text belongs to the nearest element that does.

The content stream is left as WeasyPrint draws it, except that the marked content of
artifacts is re-marked ``/Artifact``.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, field
from typing import Any

LABEL_CLASSES = frozenset({"para-number", "item-label", "label", "bullet"})
"""Classes of the ``span`` that holds a paragraph's or list item's label."""

NOTE_CLASS = "print-footnote"
"""Class of the footnote as the print page places it (see :func:`pipeline.formats.pdf.print_page`)."""

_ROLES = {
    "p": "P", "h1": "H1", "h2": "H2", "h3": "H3", "h4": "H4", "h5": "H5", "h6": "H6",
    "ul": "L", "ol": "L", "li": "LI",
    "table": "Table", "thead": "THead", "tbody": "TBody", "tfoot": "TFoot", "tr": "TR", "th": "TH", "td": "TD",
    "caption": "Caption", "figcaption": "Caption", "figure": "Figure",
    "section": "Sect", "article": "Art", "blockquote": "BlockQuote",
    "header": "Div", "div": "Div", "hgroup": "Div", "nav": "Div",
    "img": "Figure", "{http://www.w3.org/2000/svg}svg": "Figure",
}
"""HTML element -> standard structure type; an element not named here adds no element."""


def role(element: Any) -> str | None:
    """The structure type of an HTML ``element``, or None when it adds no element."""
    tag = element.tag
    classes = set((element.get("class") or "").split())
    if tag == "span":
        if classes & LABEL_CLASSES:
            return "Lbl"
        if NOTE_CLASS in classes:
            return "Note"
        return "Span" if element.get("lang") else None
    if tag == "a":
        return "Link" if element.get("href") else None
    return _ROLES.get(tag)


@functools.cache
def install() -> None:
    """Make WeasyPrint build its structure tree with :func:`add_tags`, once per process.

    WeasyPrint offers no option for this; its PDF writer calls the module's ``add_tags``,
    which is replaced. The WeasyPrint version is pinned, so the replaced function's
    signature and the box tree it walks are those this module was written for.
    """
    import weasyprint.pdf

    weasyprint.pdf.add_tags = add_tags


def add_tags(pdf: Any, document: Any, pdf_version: Any, page_streams: list[Any]) -> None:
    """Build the structure tree of ``pdf`` from the laid-out ``document`` (WeasyPrint's signature).

    Every marked content sequence of ``page_streams`` ends up either in one structure element
    (through the parent tree) or re-marked as an artifact.
    """
    import pydyf  # type: ignore[import-untyped]

    tree = _Tree(pdf)
    for number, (page, stream) in enumerate(zip(document.pages, page_streams, strict=True)):
        tree.add_page(number, page._page_box, stream)
    tree.finish()
    pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})
    pdf.catalog["MarkInfo"] = pydyf.Dictionary({"Marked": "true"})
    if "Lang" not in pdf.catalog:
        pdf.catalog["Lang"] = pydyf.String()


@dataclass
class _Page:
    """What one page contributes: its number, its marked content and where each sequence went."""

    number: int
    stream: Any
    marks: dict[Any, dict[str, Any]]
    """Box -> ``{"tag", "mcid"}``, as WeasyPrint's stream recorded it while drawing."""
    parents: dict[int, Any] = field(default_factory=dict)
    """Marked-content identifier -> reference of the structure element that holds it."""
    artifacts: set[int] = field(default_factory=set)
    """Marked-content identifiers to re-mark as artifacts."""


class _Tree:
    """The structure tree under construction, across pages."""

    def __init__(self, pdf: Any) -> None:
        import pydyf

        self.pydyf = pydyf
        self.pdf = pdf
        self.parent_tree = pydyf.Dictionary({"Nums": pydyf.Array()})
        pdf.add_object(self.parent_tree)
        self.root = pydyf.Dictionary({"Type": "/StructTreeRoot", "ParentTree": self.parent_tree.reference})
        pdf.add_object(self.root)
        self.first_page: dict[int, int] = {}
        """id of a structure element -> the page it was created on."""
        self.document = self._element("Document", self.root, 0)
        self.root["K"] = pydyf.Array([self.document.reference])
        pdf.catalog["StructTreeRoot"] = self.root.reference
        self.of_element: dict[Any, Any] = {}
        """HTML element -> its structure element (created on the page it first appears on)."""
        self.bodies: dict[int, Any] = {}
        """id of an LI -> its LBody, made when the item's first content arrives."""
        self.annotations: list[tuple[Any, Any]] = []
        self.cells: dict[Any, tuple[str | None, list[str]]] = {}
        """Table cell (HTML) -> its header ID (a TH) and the IDs of its headers (a TD)."""
        self.ids = itertools.count(1)
        self.page: _Page | None = None

    # ------------------------------------------------------------------ elements

    def _element(self, kind: str, parent: Any, page_number: int) -> Any:
        element = self.pydyf.Dictionary({
            "Type": "/StructElem",
            "S": f"/{kind}",
            "K": self.pydyf.Array(),
            "P": parent.reference,
        })
        if kind != "Document":
            element["Pg"] = self.pdf.page_references[page_number]
        self.pdf.add_object(element)
        self.first_page[id(element)] = page_number
        return element

    def _child(self, kind: str, parent: Any) -> Any:
        """A new ``kind`` element appended to ``parent``'s kids."""
        assert self.page is not None
        child = self._element(kind, parent, self.page.number)
        parent["K"].append(child.reference)
        return child

    def _content_parent(self, element: Any) -> Any:
        """Where content of ``element`` goes: a list item's content into its ``LBody``."""
        if element["S"] != "/LI":
            return element
        body = self.bodies.get(id(element))
        if body is None:
            body = self.bodies[id(element)] = self._child("LBody", element)
        return body

    def _for_html(self, html: Any, parent: Any) -> Any:
        """The structure element of ``html``, made under ``parent`` when first met, or None."""
        found = self.of_element.get(html)
        if found is not None:
            return found
        kind = role(html)
        if kind is None:
            return None
        container = parent if kind == "Lbl" else self._content_parent(parent)
        element = self._child(kind, container)
        self.of_element[html] = element
        if html.get("lang"):
            element["Lang"] = self.pydyf.String(html.get("lang"))
        if kind in ("TH", "TD"):
            self._describe_cell(html, element)
        elif kind == "Note":
            element["ID"] = self.pydyf.String(f"note-{next(self.ids)}")
        elif kind == "Figure":
            alt = html.get("alt") or html.get("aria-label") or _svg_title(html)
            if alt:
                element["Alt"] = self.pydyf.String(alt)
        elif kind == "L":
            element["A"] = self.pydyf.Dictionary({"O": "/List", "ListNumbering": f"/{_numbering(html)}"})
        return element

    def _describe_cell(self, cell: Any, element: Any) -> None:
        """Table attributes of a TH or TD: scope, spans, the header's ID or the cell's headers."""
        ident, headers = self.cells.get(cell, (None, []))
        attributes = self.pydyf.Dictionary({"O": "/Table"})
        for span in ("colspan", "rowspan"):
            value = int(cell.get(span, "1") or 1)
            if value != 1:
                attributes["ColSpan" if span == "colspan" else "RowSpan"] = value
        if cell.tag == "th":
            attributes["Scope"] = "/Row" if cell.get("scope") in ("row", "rowgroup") else "/Column"
        if ident:
            element["ID"] = self.pydyf.String(ident)
        if headers:
            attributes["Headers"] = self.pydyf.Array(self.pydyf.String(h) for h in headers)
        element["A"] = attributes

    # ------------------------------------------------------------------ content

    def _mark(self, box: Any, element: Any) -> None:
        """Put the marked content drawn for ``box`` (if any) into ``element``."""
        page = self.page
        assert page is not None
        mark = page.marks.get(box)
        if mark is None:
            return
        mcid = mark["mcid"]
        if self.first_page[id(element)] == page.number:
            element["K"].append(mcid)
        else:
            element["K"].append(self.pydyf.Dictionary({
                "Type": "/MCR", "Pg": self.pdf.page_references[page.number], "MCID": mcid}))
        page.parents[mcid] = element.reference

    def _artifact(self, box: Any) -> None:
        """Every marked content sequence drawn for ``box`` and its descendants is an artifact."""
        page = self.page
        assert page is not None
        stack = [box]
        while stack:
            current = stack.pop()
            current = getattr(current, "_box", current)  # an absolutely placed box's placeholder
            mark = page.marks.get(current)
            if mark is not None:
                page.artifacts.add(mark["mcid"])
            stack.extend(getattr(current, "children", ()))

    def _link(self, box: Any, element: Any) -> None:
        """The link annotation of ``box``, as an object reference of ``element``."""
        annotation = box.link_annotation
        if annotation is None:
            return
        assert self.page is not None
        reference = self.pydyf.Dictionary({
            "Type": "/OBJR", "Obj": annotation.reference, "Pg": self.pdf.page_references[self.page.number]})
        self.pdf.add_object(reference)
        element["K"].append(reference.reference)
        text = " ".join("".join(box.element.itertext()).split()) if box.element is not None else ""
        if text:
            annotation["Contents"] = self.pydyf.String(text)
        self.annotations.append((element.reference, annotation))

    # ------------------------------------------------------------------ walk

    def add_page(self, number: int, page_box: Any, stream: Any) -> None:
        """Add the content of one page."""
        from weasyprint.formatting_structure import boxes

        self.page = _Page(number, stream, stream._tags)
        if number == 0:
            for child in page_box.children:
                if child.element is not None and child.element.tag == "html":
                    for table in child.element.iter("table"):
                        self.cells.update(_table_cells(table, self.ids))
        for child in page_box.children:
            if isinstance(child, boxes.MarginBox):
                self._artifact(child)
            else:
                self._walk(child, self.document)
        walked = set(self.page.parents) | self.page.artifacts
        self.page.artifacts.update(m["mcid"] for m in self.page.marks.values() if m["mcid"] not in walked)
        self._finish_page(self.page)
        stream._tags.clear()

    def _walk(self, box: Any, parent: Any) -> None:
        from weasyprint.formatting_structure import boxes

        box = getattr(box, "_box", box)  # an absolutely placed box's placeholder
        if isinstance(box, boxes.TextBox):
            self._mark(box, self._content_parent(parent))
            return
        html = box.element
        pseudo = box.element_tag.partition("::")[2] if html is not None else ""
        element = parent
        if pseudo == "footnote-call" and parent["S"] != "/Reference":
            element = self._child("Reference", self._content_parent(parent))
            self._for_html(html, parent)  # the note, read right after its call
        elif pseudo == "footnote-marker" and parent["S"] != "/Lbl":
            element = self._child("Lbl", parent)
        elif html is not None and not pseudo and html.tag not in ("html", "body"):
            known = html in self.of_element
            found = self._for_html(html, parent)
            if found is not None:
                assert self.page is not None
                if known and html.tag == "thead" and self.first_page[id(found)] != self.page.number:
                    self._artifact(box)  # the head repeated on a later page
                    return
                element = found
        if isinstance(box, boxes.ReplacedBox):
            if element["S"] == "/Figure":
                self._mark(box, element)
            else:
                self._artifact(box)  # a picture the HTML gives no text: decoration
        self._link(box, element)
        for child in getattr(box, "children", ()):
            self._walk(child, element)

    def _finish_page(self, page: _Page) -> None:
        """Re-mark the page's artifacts and record its part of the parent tree."""
        if page.artifacts:
            content = page.stream.stream
            for index, item in enumerate(content):
                if isinstance(item, dict) and item.get("MCID") in page.artifacts:
                    del item["MCID"]
                    item["Type"] = "/Pagination"
                    content[index - 1] = "/Artifact"
        count = max(m["mcid"] for m in page.marks.values()) + 1 if page.marks else 0
        nums = self.parent_tree["Nums"]
        nums.append(page.number)
        nums.append(self.pydyf.Array(page.parents.get(mcid, "null") for mcid in range(count)))

    def finish(self) -> None:
        """Number the annotations in the parent tree."""
        start = len(self.pdf.page_references)
        for index, (element, annotation) in enumerate(self.annotations, start=start):
            self.parent_tree["Nums"].extend((index, element))
            annotation["StructParent"] = index
        self.root["ParentTreeNextKey"] = start + len(self.annotations)


def _svg_title(element: Any) -> str:
    title = element.find("{http://www.w3.org/2000/svg}title")
    return (title.text or "") if title is not None else ""


_NUMBERINGS = (("(a)", "LowerAlpha"), ("(i)", "LowerRoman"), ("a)", "LowerAlpha"), ("1.", "Decimal"),
               ("(1)", "Decimal"), ("A.", "UpperAlpha"), ("I.", "UpperRoman"))


def _numbering(html_list: Any) -> str:
    """The ``ListNumbering`` of a list, from its first item's label: None for a bullet or dash."""
    for item in html_list.iter("li"):
        for label in item.iter("span"):
            if set((label.get("class") or "").split()) & LABEL_CLASSES:
                text = "".join(label.itertext()).strip()
                for first, numbering in _NUMBERINGS:
                    if text == first:
                        return numbering
                return "Decimal" if text[:1].isdigit() else "None"
        break
    return "None"


def _table_cells(table: Any, ids: Any) -> dict[Any, tuple[str | None, list[str]]]:
    """Each cell of an HTML ``table``: the ID of a header cell, the header IDs of a data cell.

    A data cell's headers are the column heads above it (``scope="col"`` or a head row's
    cell), the row head of its row (``scope="row"``) and the head of its row group
    (``scope="rowgroup"``), in that order.
    """
    result: dict[Any, tuple[str | None, list[str]]] = {}
    columns: dict[int, list[str]] = {}
    for group in (child for child in table if child.tag in ("thead", "tbody", "tfoot")):
        group_heads: list[str] = []
        for row in group.iterfind("tr"):
            row_heads: list[str] = []
            column = 0
            for cell in (child for child in row if child.tag in ("th", "td")):
                span = int(cell.get("colspan", "1") or 1)
                if cell.tag == "th":
                    ident = f"th-{next(ids)}"
                    result[cell] = (ident, [])
                    scope = cell.get("scope") or ("col" if group.tag == "thead" else "row")
                    if scope == "col":
                        for c in range(column, column + span):
                            columns.setdefault(c, []).append(ident)
                    elif scope == "rowgroup":
                        group_heads.append(ident)
                    else:
                        row_heads.append(ident)
                else:
                    heads = [h for c in range(column, column + span) for h in columns.get(c, [])]
                    result[cell] = (None, heads + row_heads + group_heads)
                column += span
    return result
