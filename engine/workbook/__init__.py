"""Excel workbooks in and out: a layout generated from the plan schema, a writer, and a streaming reader."""

# A workbook's plans come out as the same raw mappings a plan file gives, with the cell of
# every key, so the one validator judges them and its messages point at book.xlsx:访问记录!C7.
