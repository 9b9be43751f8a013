"""Render a plan's context into .docx bytes through its template, in Jinja's sandbox; the only docxtpl user."""
