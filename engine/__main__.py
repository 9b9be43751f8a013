"""``python -m plandoc``: the same command line as the ``plandoc`` script."""

from plandoc.cli import main

main(prog_name="plandoc")
