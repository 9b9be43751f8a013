"""The register of controlled documents: numbers, revisions, states, events and issued files."""
