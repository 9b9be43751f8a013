"""The only code in plandoc that reads or writes raw OOXML (WordprocessingML) elements."""
