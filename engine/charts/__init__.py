"""Native Word charts for the composition analyses: chart parts, their workbooks, their wiring."""

# spec builds what to draw from the derived plan's typed figures; chart_xml (python-pptx's
# chart XML writer) and workbook (xlsxwriter, so Word's "Edit Data" works) write the two
# parts; skeleton lets a batch lay each part out once and only fill in a plan's figures;
# chart_parts adds the parts, relationships and content types to a rendered document.
