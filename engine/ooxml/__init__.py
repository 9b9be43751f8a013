"""The OOXML layer: WordprocessingML and package XML, element by element, by the spec's names."""

# It owns every namespace URI and relationship type (namespaces: no other module spells one),
# the package's bookkeeping parts (package_parts, document_package, zipwriter, safe_package),
# the styles, theme and core-properties parts, the template's raw-XML pieces (template_parts,
# chart_placement), and reading a body back (body, effective, template_text). Nothing here
# imports a stage above it. Outside ooxml/, only three adapters touch XML, each the XML of
# the library it wraps or of the file it reads: the docxtpl renderer (plandoc.render:
# compiled, preparation, template_errors) works on docxtpl's serialised body text to
# reproduce docxtpl's own text passes; the chart writers (plandoc.charts: chart_xml,
# workbook) finish the DrawingML of python-pptx and the sheet of xlsxwriter; the workbook
# reader (plandoc.workbook: excel_file, plain_sheet) streams the sheets of an input .xlsx.
# tests/test_architecture.py holds exactly this list.
