"""Render many plans: sources, file names, the runner and its workers, resumable state, reports, Ctrl-C, Dask."""
