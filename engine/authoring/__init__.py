"""Help people write plans and templates: starters, JSON Schema, template lint, profiles, context reference."""
