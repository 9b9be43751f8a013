"""Getting documents out: atomic writes, stores, formats, staging, LibreOffice (one-shot or resident), previews."""
