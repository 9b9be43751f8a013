"""Help people write plans and templates: starters, JSON Schema, lint, profiles, context reference, workbooks."""
