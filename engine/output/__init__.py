"""Getting documents out: atomic writes, batch stores, formats, staging and LibreOffice conversion, page previews."""
