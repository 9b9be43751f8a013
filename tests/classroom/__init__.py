"""A class of student plans made with python-docx, with their expected verdicts."""
