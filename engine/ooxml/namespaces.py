"""Every namespace URI and relationship type plandoc writes or reads, defined once, and ``qn``."""

from __future__ import annotations

import functools

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
"""WordprocessingML: the document body, styles and settings (prefix ``w``)."""
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
"""Relationship references inside a part (``r:id``), and the base of the relationship types."""
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
"""A ``.rels`` part's own namespace."""
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
"""``[Content_Types].xml``."""
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
"""DrawingML: text and fonts in charts and themes (prefix ``a``)."""
C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
"""DrawingML charts (prefix ``c``); also the ``uri`` of a chart's graphic data."""
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
"""Drawings placed in a Word document (prefix ``wp``)."""
CP_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
"""``docProps/core.xml`` (prefix ``cp``)."""
EXTENDED_PROPERTIES_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
"""``docProps/app.xml``."""
DC_NS = "http://purl.org/dc/elements/1.1/"
DCTERMS_NS = "http://purl.org/dc/terms/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_NS = "http://www.w3.org/XML/1998/namespace"
"""The ``xml:`` prefix (``xml:space``)."""
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
"""Word 2010's additions to WordprocessingML, such as the checkbox content control (prefix ``w14``)."""
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
"""Markup compatibility: ``mc:Ignorable`` lets an older reader skip the ``w14`` elements."""
WORD_2010_NS = "http://schemas.microsoft.com/office/word"
"""The compatibility-setting URI of Word 2010 and later."""
SPREADSHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
"""SpreadsheetML: the sheets of an Excel workbook (``plandoc.workbook`` reads them)."""
OFFICE_RELATIONSHIPS_NS = "http://schemas.microsoft.com/office/2006/relationships"
"""The base of Microsoft's own relationship types (macros, ActiveX)."""

CHART_RELATIONSHIP = f"{R_NS}/chart"
PACKAGE_RELATIONSHIP = f"{R_NS}/package"
CORE_PROPERTIES_RELATIONSHIP = f"{REL_NS}/metadata/core-properties"
VBA_PROJECT_RELATIONSHIP = f"{OFFICE_RELATIONSHIPS_NS}/vbaProject"
ACTIVEX_BINARY_RELATIONSHIP = f"{OFFICE_RELATIONSHIPS_NS}/activeXControlBinary"

_PREFIXES = {"w": W_NS, "r": R_NS, "a": A_NS, "c": C_NS, "wp": WP_NS, "xml": XML_NS, "w14": W14_NS, "mc": MC_NS}


@functools.cache
def qn(name: str) -> str:
    """Turn ``w:jc`` (or ``a:latin``, ``c:chart`` …) into lxml's ``{namespace}jc``."""
    prefix, local = name.split(":")
    return f"{{{_PREFIXES[prefix]}}}{local}"
