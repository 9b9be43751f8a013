"""The plan's stages: load (with positions), validate, derive (every figure), render context."""
