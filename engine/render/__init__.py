"""Render a plan's context into .docx bytes through its template; the only user of docxtpl and Jinja."""
