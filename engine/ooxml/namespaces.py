"""Namespaces and qualified-name helpers of WordprocessingML."""

from __future__ import annotations

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
NSMAP = {"w": W_NS, "r": R_NS}


def qn(name: str) -> str:
    """Turn ``w:jc`` into lxml's ``{namespace}jc``."""
    prefix, local = name.split(":")
    namespace = {"w": W_NS, "r": R_NS}[prefix]
    return f"{{{namespace}}}{local}"
