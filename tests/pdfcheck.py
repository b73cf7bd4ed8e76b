"""Reading a PDF's structure tree, XMP packet and associated files back, and the machine checks
of PDF/UA-1 and PDF/A-3b that can be made from them.

No PDF/UA or PDF/A validator is distributed through the package registries this project
installs from, so the checks that follow from ISO 14289-1 and ISO 19005-3 and concern what the
renderer controls are made here, on the file as written: its syntax (qpdf's check); every piece of content is either in
the structure tree or an artifact, both ways through the parent tree; only standard structure
types, in the parent-child relations the standard gives them; notes with unique IDs, figures
with alternative text, link annotations in the tree with a description; the catalog's
marks, language and title display; the XMP identification, and the document information
repeating it; the output intent; the associated source file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import lxml.etree
import pikepdf

STANDARD_TYPES = frozenset({
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI", "Index", "NonStruct",
    "Private", "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD",
    "THead", "TBody", "TFoot", "Span", "Quote", "Note", "Reference", "BibEntry", "Code", "Link", "Annot", "Ruby",
    "RB", "RT", "RP", "Warichu", "WT", "WP", "Figure", "Formula", "Form",
})
"""The standard structure types of PDF 1.7 (ISO 32000-1, 14.8.4)."""

ALLOWED_KIDS = {
    "L": {"LI", "L", "Caption"},
    "LI": {"Lbl", "LBody"},
    "Table": {"THead", "TBody", "TFoot", "TR", "Caption"},
    "THead": {"TR"}, "TBody": {"TR"}, "TFoot": {"TR"},
    "TR": {"TH", "TD"},
}
"""Structure types whose children are restricted, and the types they may have."""

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
}


@dataclass
class Node:
    """One structure element: its type, attributes and kids (elements, or (page, MCID) content)."""

    kind: str
    obj: pikepdf.Dictionary
    kids: list[Node | tuple[int, int]] = field(default_factory=list)
    links: list[pikepdf.Dictionary] = field(default_factory=list)
    """The annotations the element holds through object references."""
    parent: Node | None = None

    def elements(self) -> list[Node]:
        return [kid for kid in self.kids if isinstance(kid, Node)]

    def walk(self) -> Iterator[Node]:
        yield self
        for kid in self.elements():
            yield from kid.walk()

    def content(self) -> list[tuple[int, int]]:
        """Every (page, MCID) under this element, in reading order."""
        found: list[tuple[int, int]] = []
        for kid in self.kids:
            found.extend(kid.content() if isinstance(kid, Node) else [kid])
        return found

    def find(self, kind: str) -> list[Node]:
        return [node for node in self.walk() if node.kind == kind]


@dataclass
class Marked:
    """One marked-content sequence of a page: its tag, MCID (None for an artifact) and text positions."""

    tag: str
    mcid: int | None
    text_y: list[float] = field(default_factory=list)
    """The vertical position (from the top, as WeasyPrint writes it) of each text object shown in it."""


@dataclass
class Readback:
    """What a PDF says about its structure and identity."""

    pdf: pikepdf.Pdf
    root: Node
    marked: list[list[Marked]]
    """Per page, the outermost marked-content sequences in stream order."""
    xmp: lxml.etree._Element
    unmarked_text: int
    """Text-showing operators outside any marked content."""
    path: Path


def read(path: Path) -> Readback:
    """Open ``path`` and read back its structure tree, its pages' marked content and its XMP."""
    pdf = pikepdf.open(path)
    pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
    tree_root = pdf.Root.StructTreeRoot

    def build(obj: pikepdf.Dictionary, parent: Node | None, page: int | None) -> Node:
        node = Node(str(obj.S)[1:], obj, parent=parent)
        if "/Pg" in obj:
            page = pages[obj.Pg.objgen]
        raw = obj.get("/K")
        kids = [] if raw is None else (list(raw) if isinstance(raw, pikepdf.Array) else [raw])
        for kid in kids:
            if isinstance(kid, int):
                assert page is not None, f"{node.kind}: MCID {kid} without a page"
                node.kids.append((page, int(kid)))
            elif kid.get("/Type") == "/MCR":
                node.kids.append((pages[kid.Pg.objgen], int(kid.MCID)))
            elif kid.get("/Type") == "/OBJR":
                node.links.append(kid.Obj)
            else:
                node.kids.append(build(kid, node, page))
        return node

    top = tree_root.K
    root = build(top[0] if isinstance(top, pikepdf.Array) else top, None, None)
    marked: list[list[Marked]] = []
    unmarked = 0
    for page in pdf.pages:
        sequences: list[Marked] = []
        depth = 0
        y = 0.0
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op in ("BDC", "BMC"):
                if depth == 0:
                    props = operands[1] if op == "BDC" else None
                    mcid = int(props.MCID) if isinstance(props, pikepdf.Dictionary) and "/MCID" in props else None
                    sequences.append(Marked(str(operands[0])[1:], mcid))
                depth += 1
            elif op == "EMC":
                depth -= 1
            elif op == "Tm":
                y = float(operands[5])
            elif op in ("Tj", "TJ", "'", '"'):
                if depth == 0:
                    unmarked += 1
                else:
                    sequences[-1].text_y.append(y)
        marked.append(sequences)
    packet = pdf.Root.Metadata.read_bytes() if "/Metadata" in pdf.Root else b'<x:xmpmeta xmlns:x="adobe:ns:meta/"/>'
    xmp = lxml.etree.fromstring(packet)
    return Readback(pdf, root, marked, xmp, unmarked, path)


def xmp_value(xmp: lxml.etree._Element, path: str) -> str:
    """The text at ``path`` (an XPath with the prefixes of :data:`NS`) of the XMP packet, "" when absent."""
    found = xmp.xpath(path, namespaces=NS)
    return " ".join((f.text or "").strip() if hasattr(f, "text") else str(f) for f in found)


def problems(back: Readback) -> list[str]:
    """What breaks the machine-checkable requirements of PDF/UA-1 and PDF/A-3b (empty when none)."""
    pdf = back.pdf
    found: list[str] = [f"syntax: {problem}" for problem in pdf.check_pdf_syntax()]  # qpdf's check
    catalog = pdf.Root
    # Content: tagged or an artifact, and the parent tree agreeing with the elements both ways.
    if back.unmarked_text:
        found.append(f"{back.unmarked_text} text objects neither tagged nor artifacts")
    in_tree = set(back.root.content())
    in_streams = {(page, m.mcid) for page, seqs in enumerate(back.marked) for m in seqs if m.mcid is not None}
    if in_tree != in_streams:
        found.append(f"content in the tree but not in the pages: {sorted(in_tree - in_streams)[:5]}; "
                     f"in the pages but not in the tree: {sorted(in_streams - in_tree)[:5]}")
    for page_number, seqs in enumerate(back.marked):
        for m in seqs:
            if m.mcid is None and m.tag != "Artifact":
                found.append(f"page {page_number + 1}: marked content /{m.tag} without an MCID is no artifact")
    nums = catalog.StructTreeRoot.ParentTree.Nums
    parent_of = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    owners = {(page, mcid): node.obj.objgen for node in back.root.walk()
              for page, mcid in (k for k in node.kids if not isinstance(k, Node))}
    for page_number, page in enumerate(pdf.pages):
        array = parent_of.get(int(page.obj.get("/StructParents", -1)))
        if array is None:
            found.append(f"page {page_number + 1}: no parent tree entry")
            continue
        for mcid, owner in enumerate(array):
            if isinstance(owner, pikepdf.Dictionary) and owners.get((page_number, mcid)) != owner.objgen:
                found.append(f"page {page_number + 1}: the parent tree names another element for MCID {mcid}")
    # Elements: standard types, allowed children, notes, figures, links.
    note_ids: list[str] = []
    for node in back.root.walk():
        if node.kind not in STANDARD_TYPES:
            found.append(f"non-standard structure type {node.kind}")
        allowed = ALLOWED_KIDS.get(node.kind)
        if allowed is not None:
            wrong = {kid.kind for kid in node.elements()} - allowed
            if wrong or any(not isinstance(kid, Node) for kid in node.kids):
                found.append(f"{node.kind} holds {sorted(wrong) or 'content'} directly")
        if node.kind == "Note":
            note_ids.append(str(node.obj.get("/ID", "")))
        if node.kind == "Figure" and not str(node.obj.get("/Alt", "")):
            found.append("a Figure without alternative text")
        for annotation in node.links:
            if node.kind != "Link" or "/StructParent" not in annotation or not str(annotation.get("/Contents", "")):
                found.append(f"a link annotation without its Link element, parent key or description in {node.kind}")
            elif parent_of.get(int(annotation.StructParent)) is None or \
                    parent_of[int(annotation.StructParent)].objgen != node.obj.objgen:
                found.append("a link annotation whose parent tree entry is not its Link element")
    if "" in note_ids or len(set(note_ids)) != len(note_ids):
        found.append(f"Note IDs missing or repeated: {note_ids}")
    for page_number, page in enumerate(pdf.pages):
        if "/Annots" in page and page.obj.get("/Tabs") != "/S":
            found.append(f"page {page_number + 1}: annotations not in structure order (/Tabs)")
        for annotation in page.obj.get("/Annots", []):
            if int(annotation.get("/F", 0)) & 4 == 0:
                found.append(f"page {page_number + 1}: an annotation that does not print")
    # Catalog, identification, document information.
    if not catalog.get("/MarkInfo", {}).get("/Marked", False):
        found.append("MarkInfo /Marked is not true")
    if not str(catalog.get("/Lang", "")):
        found.append("no document language")
    if not catalog.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False):
        found.append("the viewer is not told to display the title")
    xmp = back.xmp
    expected = {"pdfuaid:part": "1", "pdfaid:part": "3", "pdfaid:conformance": "B"}
    for name, value in expected.items():
        if xmp_value(xmp, f"//rdf:Description/{name}") != value:
            found.append(f"XMP {name} is not {value}")
    if xmp_value(xmp, "//pdfaSchema:namespaceURI") != NS["pdfuaid"]:
        found.append("the pdfuaid schema is not described as a PDF/A extension schema")
    info = pdf.docinfo
    pairs = {"/Title": "//dc:title/rdf:Alt/rdf:li", "/Author": "//dc:creator/rdf:Seq/rdf:li",
             "/Subject": "//dc:description/rdf:Alt/rdf:li", "/Producer": "//pdf:Producer"}
    for key, path in pairs.items():
        if str(info.get(key, "")) != xmp_value(xmp, path):
            found.append(f"document information {key} and XMP {path} disagree")
    if not xmp_value(xmp, "//dc:title/rdf:Alt/rdf:li"):
        found.append("no dc:title")
    intents = catalog.get("/OutputIntents", [])
    if len(intents) != 1 or intents[0].S != "/GTS_PDFA1" or "/DestOutputProfile" not in intents[0]:
        found.append("no PDF/A output intent with its profile")
    sources = [spec for spec in catalog.get("/AF", []) if spec.get("/AFRelationship") == "/Source"]
    if len(sources) != 1 or sources[0].EF.F.get("/Subtype") != "/application/xml" or \
            "/ModDate" not in sources[0].EF.F.get("/Params", {}):
        found.append("no associated XML source (AFRelationship /Source, MIME type, date)")
    return found


def embedded_source(back: Readback) -> bytes:
    """The bytes of the associated file whose relationship is Source."""
    (spec,) = [spec for spec in back.pdf.Root.AF if spec.get("/AFRelationship") == "/Source"]
    return bytes(spec.EF.F.read_bytes())
