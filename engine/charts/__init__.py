"""Native Word charts for the composition analyses.

Each analysis with data gets a DrawingML chart part (python-pptx's chart XML writer), an
embedded workbook holding its data so that Word's "Edit Data" works (xlsxwriter), and
the relationships and content types that wire them into the package. ``spec`` builds what
to draw from the derived plan's typed figures, ``chart_xml`` and ``workbook`` write the
two parts, ``skeleton`` lets a batch build each part's layout once and only fill in a
plan's figures, and ``chart_parts`` adds the parts to a rendered document.
"""
