"""Survey exports behind one registry: a summary of the dashboard, every response, and its codebook.

An ``Exporter`` names what it is (identifier, label), who may have it (permission) and what it
holds: either ``Rows`` built in Python (the summary, the codebook, the Excel responses workbook
read from a server-side cursor) or a ``CopyQuery`` that PostgreSQL streams as CSV itself. The one
download view (``views.download``) checks the permission, records the export and writes the file.

The responses export is one SQL query that pivots answers into one column per question (one per
option for multiple choice, from ``surveys.kinds``), so every route through conditional questions
gives the same columns. Memory stays flat however many responses there are.

Cells that a spreadsheet could run as a formula (starting with = + - @, tab or carriage return)
get a leading apostrophe, in SQL for response data and in Python for the summary and codebook.
"""

import csv
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import chain

from django.db import connection, transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from surveys.kinds import ExportColumn, kind_of
from surveys.models import ExportRecord, Response, Survey
from surveys.reporting.dashboard import Dashboard, build_dashboard
from surveys.reporting.filters import ResponseFilter
from surveys.structure import SurveyStructure

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"  # so Excel opens the CSV as UTF-8
XLSX_ROW_LIMIT = 1_048_576
ROUNDING_NOTE = (
    "Equality-monitoring figures (and every figure when an About-you answer is a filter) are rounded to the "
    "nearest 5; any below {threshold} is shown as “fewer than {threshold}”."
)
FETCH_SIZE = 5000


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass
class ExportRequest:
    """One person's download of one survey's responses, seen through the dashboard's filters."""

    survey: Survey
    user: object
    structure: SurveyStructure
    response_filter: ResponseFilter

    @cached_property
    def include_equality(self) -> bool:
        return self.user.has_perm("surveys.export_equality_data")

    @cached_property
    def columns(self) -> list[ExportColumn]:
        return response_columns(self.structure, include_equality=self.include_equality)

    @cached_property
    def filters_described(self) -> str:
        return self.response_filter.describe(self.structure.questions)


@dataclass
class Rows:
    """Content built in Python: named sheets of rows (a CSV holds the first sheet only)."""

    sheets: dict[str, Iterable[list]]
    row_count: int


@dataclass
class CopyQuery:
    """Content PostgreSQL writes as CSV itself (COPY ... TO STDOUT), under a header line."""

    header: list[str]
    sql: str
    params: tuple
    row_count: int


@dataclass(frozen=True)
class Exporter:
    identifier: str  # the end of its address, "responses.csv"
    label: str
    permission: str
    record_kind: str  # ExportRecord.Kind
    content: Callable[[ExportRequest], Rows | CopyQuery]
    row_level: bool = False  # one row per response: may hold equality data, for those allowed it
    refuse: Callable[[ExportRequest], str | None] | None = None

    @property
    def file_format(self) -> str:
        return self.identifier.rsplit(".", 1)[1]

    @property
    def what(self) -> str:
        return self.identifier.rsplit(".", 1)[0]


# The responses, one row each


def response_columns(structure: SurveyStructure, include_equality: bool) -> list[ExportColumn]:
    channel_values = ", ".join(Response.Channel.values)
    columns = [
        ExportColumn("reference", "Response reference", "text", "10 letters and numbers", "r.reference"),
        ExportColumn(
            "submitted_at",
            "When the response was sent (UK time)",
            "date and time",
            "YYYY-MM-DD HH:MM:SS",
            "to_char(r.submitted_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD HH24:MI:SS')",
        ),
        ExportColumn("channel", "How the response was received", "choice", channel_values, "r.channel"),
    ]
    for section, questions in structure:
        if section.is_about_you and not include_equality:
            continue
        for question in questions:
            columns += kind_of(question).export_columns(question)
    return columns


def responses_query(response_filter: ResponseFilter, columns: list[ExportColumn]) -> tuple[str, tuple]:
    ids_sql, ids_params = response_filter.responses().order_by().values("id").query.sql_with_params()
    select = ",\n  ".join(f'{column.sql} AS "{index}"' for index, column in enumerate(columns))
    sql = (
        f"SELECT {select}\nFROM surveys_response r\n"  # noqa: S608 - columns are built from integer ids
        "LEFT JOIN surveys_answer a ON a.response_id = r.id\n"
        "LEFT JOIN surveys_choice c ON c.id = a.choice_id\n"
        f"WHERE r.id IN ({ids_sql})\nGROUP BY r.id\nORDER BY r.id"
    )
    return sql, ids_params


def _response_rows(sql: str, params: tuple) -> Iterator[tuple]:
    """Rows from a server-side cursor, a few thousand at a time (a named cursor needs a transaction)."""
    with transaction.atomic():
        connection.ensure_connection()
        with connection.connection.cursor(name="responses_export") as cursor:
            cursor.itersize = FETCH_SIZE
            cursor.execute(sql, params)
            yield from cursor


def codebook_rows(export: ExportRequest) -> list[list]:
    rows = [
        ["Survey", str(export.survey.consultation.title)],
        ["Exported at (UK time)", timezone.localtime().strftime("%Y-%m-%d %H:%M")],
        ["Filters", export.filters_described],
        [],
        ["Column", "Question", "Type", "Allowed values"],
    ]
    rows += [[column.name, column.meaning, column.kind, column.allowed] for column in export.columns]
    return [[neutralise(cell) for cell in row] for row in rows]


def responses_csv(export: ExportRequest) -> CopyQuery:
    sql, params = responses_query(export.response_filter, export.columns)
    header = [column.name for column in export.columns]
    return CopyQuery(header, sql, params, row_count=export.response_filter.responses().count())


def responses_xlsx(export: ExportRequest) -> Rows:
    sql, params = responses_query(export.response_filter, export.columns)
    header = [column.name for column in export.columns]
    return Rows(
        {"Responses": chain([header], _response_rows(sql, params)), "Codebook": codebook_rows(export)},
        row_count=export.response_filter.responses().count(),
    )


def too_many_for_excel(export: ExportRequest) -> str | None:
    count = export.response_filter.responses().count()
    if count < XLSX_ROW_LIMIT:
        return None
    return (
        f"Excel holds at most {XLSX_ROW_LIMIT - 1:,} rows and this export has {count:,}: "
        "download the CSV, or add a filter."
    )


def codebook_csv(export: ExportRequest) -> Rows:
    return Rows({"Codebook": codebook_rows(export)}, row_count=len(export.columns))


# The summary of what the dashboard shows


def summary_rows(dashboard: Dashboard, filters_described: str) -> list[list]:
    """What the dashboard shows, as rows: every figure already decided by disclosure."""
    rows = [
        ["Survey", dashboard.survey.consultation.title],
        ["Exported at (UK time)", timezone.localtime().strftime("%Y-%m-%d %H:%M")],
        ["Filters", filters_described],
        ["Responses", str(dashboard.total)],
    ]
    if dashboard.protect_all or any(section.section.is_about_you for section in dashboard.sections):
        rows.append(["Note", ROUNDING_NOTE.format(threshold=dashboard.threshold)])
    rows += [[], ["Section", "Question", "Answer", "Count", "Percent of those who answered"]]
    for section in dashboard.sections:
        title = section.section.title
        for summary in section.questions:
            question = summary.question
            rows.append([title, question.text, "Answered by", str(summary.answered), ""])
            for row in summary.choices:
                percent = "" if row.count.percent is None else row.count.percent
                rows.append([title, question.text, row.choice.label, str(row.count), percent])
            if summary.other_count is not None:
                rows.append([title, question.text, "“Other” answers written", str(summary.other_count), ""])
            stats = summary.numbers
            if stats and not stats.withheld:
                rows.append([title, question.text, "Mean", "", stats.mean])
                rows.append([title, question.text, "Median", "", stats.median])
                rows += [[title, question.text, f"Answers {label}", str(count), ""] for label, count in stats.buckets]
            for theme, count in summary.themes:
                rows.append([title, question.text, f"Theme: {theme.name}", str(count), ""])
    return [[neutralise(cell) for cell in row] for row in rows]


def summary(export: ExportRequest) -> Rows:
    dashboard = build_dashboard(export.survey, export.response_filter, export.structure)
    rows = summary_rows(dashboard, export.filters_described)
    return Rows({"Summary": rows}, row_count=len(rows))


DASHBOARD = "surveys.view_dashboard"
INDIVIDUAL = "surveys.view_individual_responses"
Kind = ExportRecord.Kind

EXPORTERS = {
    exporter.identifier: exporter
    for exporter in [
        Exporter("summary.csv", "Summary (CSV)", DASHBOARD, Kind.SUMMARY_CSV, summary),
        Exporter("summary.xlsx", "Summary (Excel)", DASHBOARD, Kind.SUMMARY_XLSX, summary),
        Exporter(
            "responses.csv", "Every response (CSV)", INDIVIDUAL, Kind.RESPONSES_CSV, responses_csv, row_level=True
        ),
        Exporter(
            "responses.xlsx",
            "Every response (Excel, with its codebook)",
            INDIVIDUAL,
            Kind.RESPONSES_XLSX,
            responses_xlsx,
            row_level=True,
            refuse=too_many_for_excel,
        ),
        Exporter("codebook.csv", "Codebook (CSV)", INDIVIDUAL, Kind.CODEBOOK_CSV, codebook_csv, row_level=True),
    ]
}


# Writing the files


def csv_bytes(rows: Iterable[list]) -> bytes:
    buffer = io.StringIO()
    buffer.write(BOM)
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def stream_copy_csv(content: CopyQuery) -> Iterator[bytes]:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(content.header)
    yield (BOM + buffer.getvalue()).encode()
    connection.ensure_connection()
    with (
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY ({content.sql}) TO STDOUT WITH (FORMAT csv)", content.params) as copy,
    ):
        for block in copy:
            yield bytes(block)


def xlsx_file(sheets: dict[str, Iterable[list]]) -> tempfile.SpooledTemporaryFile:
    """An Excel workbook written row by row (openpyxl's write-only mode), spilling to disk when large."""
    workbook = Workbook(write_only=True)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) if isinstance(cell, str) else cell for cell in row])
    output = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115 - closed by FileResponse
    workbook.save(output)
    output.seek(0)
    return output
