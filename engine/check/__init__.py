"""plandoc check: judge any .docx against the plan's formatting brief and structure."""
