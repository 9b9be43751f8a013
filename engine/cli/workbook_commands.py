"""The convert command: plans between plan files and Excel workbooks."""

from __future__ import annotations

from pathlib import Path

import click

from plandoc.cli.common_options import REPORT_FORMAT, emit
from plandoc.errors import PlandocError


@click.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@click.argument("target", type=click.Path(path_type=Path))
@click.option("--chinese-keys", is_flag=True, help="Write the plan files with Chinese keys (编号, 执行部门, …).")
@click.option("--force", is_flag=True, help="Replace files that exist.")
@REPORT_FORMAT
def convert(sources: tuple[Path, ...], target: Path, chinese_keys: bool, force: bool, report_format: str) -> None:
    """Convert plan files into one workbook, or a workbook into one plan file per plan.

    Every plan is validated first: nothing is written when any has errors.

    \b
    Examples:
      plandoc convert samples/ding-qiang.yaml samples/huaxin-electric.yaml book.xlsx
      plandoc convert book.xlsx plans/ --chinese-keys
    """
    import sys

    from plandoc.authoring.workbook_conversion import convert_plans

    try:
        written = convert_plans(sources, target, chinese=chinese_keys, force=force)
    except PlandocError as error:
        emit(error.as_diagnostics(), report_format, ok=False)
        sys.exit(error.exit_code)
    for path in written:
        click.echo(f"已写入 {path} | wrote {path}", err=True)
