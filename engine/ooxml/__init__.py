"""The OOXML layer: WordprocessingML and package XML, element by element, by the spec's names."""

# It owns every namespace (namespaces), the package's bookkeeping parts (package_parts,
# document_package, zipwriter, safe_package), the styles, theme and core-properties parts,
# the template's raw-XML pieces (template_parts, chart_placement), and reading a body back
# (body, effective, template_text). Nothing here imports a stage above it. Two adapters keep
# the XML of the library they wrap: the docxtpl renderer (plandoc.render) works on docxtpl's
# serialised body text to reproduce docxtpl's own text passes, and the chart writers
# (plandoc.charts) finish the DrawingML of python-pptx and the sheet of xlsxwriter.
