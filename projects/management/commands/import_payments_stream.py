from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cases.import_messages import row_message
from projects import fields
from projects.importing.stream import payments_stream_import


class Command(BaseCommand):
    help = (
        "Import a bank file of many projects' payment lines for one month (项目编号, 身份证号, 收款人姓名, 金额, "
        "交易日期, optionally 付款账号 and 代发), streamed; prints the counts and the first errors by row and column."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--month", required=True, help="the month the wages are for, e.g. 2026-05")

    def handle(self, *args, file, month, **options):
        errors: fields.Errors = {}
        clean = fields.a_month(month, "month", "--month", errors)
        if errors or clean is None:
            raise CommandError("; ".join(errors.get("month", [])))
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            with path.open("rb") as stream:
                report = payments_stream_import(actor=None, stream=stream, month=clean)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(
            f"lines {report.lines}: written {report.written}, unchanged {report.unchanged}, errors {report.errors}"
        )
        for row, column, message in report.first_errors[:50]:
            self.stdout.write("  " + row_message(row, column, message))
