from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cases.import_messages import row_message
from projects.importing.roster_stream import roster_stream_import


class Command(BaseCommand):
    help = (
        "Import a file of many projects' real-name rosters (项目编号, 姓名, 身份证号, 所属单位 as the unit's USCC, "
        "optionally 班组, 工种, 进场日期, 退场日期, 劳动合同签订日期, 开户银行, 银行卡号), streamed; workers already "
        "on a project's roster are left unchanged; prints the counts and the first errors by row and column."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            with path.open("rb") as stream:
                report = roster_stream_import(actor=None, stream=stream)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(
            f"lines {report.lines}: written {report.written}, unchanged {report.unchanged}, errors {report.errors}"
        )
        for row, column, message in report.first_errors[:50]:
            self.stdout.write("  " + row_message(row, column, message))
