"""Run plandoc's command line from a checkout: ``python cli.py …`` (plandoc must be installed)."""

from plandoc.cli import main

if __name__ == "__main__":
    main()
