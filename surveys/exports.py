"""Survey exports: a summary of the dashboard, and one row per response, as CSV or XLSX.

The responses export is one SQL query that pivots answers into one column per question (one per
option for multiple choice), so every route through conditional questions gives the same columns.
CSV is streamed straight from PostgreSQL's COPY; XLSX is written row by row from a server-side
cursor in openpyxl's write-only mode. Memory stays flat however many responses there are.

Cells that a spreadsheet could run as a formula (starting with = + - @, tab or carriage return)
get a leading apostrophe, in SQL for response data and in Python for the summary.
"""

import csv
import io
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from surveys.dashboard import Dashboard
from surveys.filters import ResponseFilter
from surveys.models import Question, Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"  # so Excel opens the CSV as UTF-8
XLSX_ROW_LIMIT = 1_048_576
FETCH_SIZE = 5000


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _safe_sql(expression: str) -> str:
    return f"CASE WHEN {expression} ~ '^[-=+@\\t\\r]' THEN '''' || {expression} ELSE {expression} END"


@dataclass
class Column:
    name: str
    meaning: str
    kind: str
    allowed: str
    sql: str


def response_columns(structure, include_equality: bool) -> list[Column]:
    channel_values = ", ".join(Response.Channel.values)
    columns = [
        Column("reference", "Response reference", "text", "10 letters and numbers", "r.reference"),
        Column(
            "submitted_at",
            "When the response was sent (UK time)",
            "date and time",
            "YYYY-MM-DD HH:MM:SS",
            "to_char(r.submitted_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD HH24:MI:SS')",
        ),
        Column("channel", "How the response was received", "choice", channel_values, "r.channel"),
    ]
    for section, questions in structure:
        if section.is_about_you and not include_equality:
            continue
        for q in questions:
            only = f"a.question_id = {int(q.pk)}"
            kind = q.get_kind_display()
            if q.kind == Question.Kind.MULTIPLE_CHOICE:
                for choice in q.choices.all():
                    columns.append(
                        Column(
                            f"{q.identifier}__{choice.value}",
                            f"{q.text}: {choice.label}",
                            "ticked (1) or not (0); empty if the question was not answered",
                            "1, 0",
                            f"CASE WHEN bool_or({only}) THEN (CASE WHEN bool_or(a.choice_id = {int(choice.pk)}) "
                            "THEN 1 ELSE 0 END) END",
                        )
                    )
            elif q.is_choice:
                labels = "; ".join(choice.label for choice in q.choices.all())
                columns.append(
                    Column(q.identifier, q.text, kind, labels, _safe_sql(f"max(c.label) FILTER (WHERE {only})"))
                )
            elif q.kind == Question.Kind.NUMBER:
                bounds = f"{q.min_value if q.min_value is not None else ''} to {q.max_value or ''}".strip()
                columns.append(Column(q.identifier, q.text, kind, bounds, f"max(a.number) FILTER (WHERE {only})"))
            elif q.kind == Question.Kind.DATE:
                columns.append(
                    Column(
                        q.identifier,
                        q.text,
                        kind,
                        "YYYY-MM-DD",
                        f"to_char(max(a.date) FILTER (WHERE {only}), 'YYYY-MM-DD')",
                    )  # fmt: skip
                )
            else:
                limit = f"up to {q.max_length} characters" if q.max_length else "free text"
                columns.append(
                    Column(q.identifier, q.text, kind, limit, _safe_sql(f"max(a.text) FILTER (WHERE {only})"))
                )
            if q.allow_other:
                columns.append(
                    Column(
                        f"{q.identifier}__other_text",
                        f"{q.text}: what people wrote for “Other”",
                        "text",
                        "free text",
                        _safe_sql(f"max(a.text) FILTER (WHERE {only} AND c.is_other)"),
                    )
                )
    return columns


def responses_query(response_filter: ResponseFilter, columns: list[Column]) -> tuple[str, tuple]:
    ids_sql, ids_params = response_filter.responses().order_by().values("id").query.sql_with_params()
    select = ",\n  ".join(f'{column.sql} AS "{index}"' for index, column in enumerate(columns))
    sql = (
        f"SELECT {select}\nFROM surveys_response r\n"  # noqa: S608 - columns are built from integer ids
        "LEFT JOIN surveys_answer a ON a.response_id = r.id\n"
        "LEFT JOIN surveys_choice c ON c.id = a.choice_id\n"
        f"WHERE r.id IN ({ids_sql})\nGROUP BY r.id\nORDER BY r.id"
    )
    return sql, ids_params


def header_line(columns: list[Column]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([column.name for column in columns])
    return buffer.getvalue()


def stream_responses_csv(response_filter: ResponseFilter, columns: list[Column]) -> Iterator[bytes]:
    sql, params = responses_query(response_filter, columns)
    yield (BOM + header_line(columns)).encode()
    connection.ensure_connection()
    with (
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy,
    ):
        for block in copy:
            yield bytes(block)


def responses_xlsx(
    response_filter: ResponseFilter, columns: list[Column], codebook_rows
) -> tempfile.SpooledTemporaryFile:
    sql, params = responses_query(response_filter, columns)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Responses")
    sheet.append([column.name for column in columns])
    with transaction.atomic():
        connection.ensure_connection()
        with connection.connection.cursor(name="responses_export") as cursor:
            cursor.itersize = FETCH_SIZE
            cursor.execute(sql, params)
            for row in cursor:
                sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    codebook = workbook.create_sheet("Codebook")
    for row in codebook_rows:
        codebook.append([neutralise(cell) for cell in row])
    output = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115 - closed by FileResponse
    workbook.save(output)
    output.seek(0)
    return output


def codebook_rows(columns: list[Column], response_filter: ResponseFilter, filters_described: str) -> list[list]:
    exported_at = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    rows = [
        ["Survey", str(response_filter.survey.consultation.title)],
        ["Exported at (UK time)", exported_at],
        ["Filters", filters_described],
        [],
        ["Column", "Question", "Type", "Allowed values"],
    ]
    rows += [[column.name, column.meaning, column.kind, column.allowed] for column in columns]
    return rows


def summary_rows(dashboard: Dashboard, filters_described: str) -> list[list]:
    exported_at = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    rows = [
        ["Survey", dashboard.survey.consultation.title],
        ["Exported at (UK time)", exported_at],
        ["Filters", filters_described],
        ["Responses", str(dashboard.total)],
        [],
        ["Section", "Question", "Answer", "Count", "Percent of those who answered"],
    ]
    for section in dashboard.sections:
        for summary in section.questions:
            question = summary.question
            rows.append([section.section.title, question.text, "Answered by", str(summary.answered), ""])
            for row in summary.choices:
                percent = "" if row.count.percent is None else row.count.percent
                rows.append([section.section.title, question.text, row.choice.label, str(row.count), percent])
            if summary.numbers:
                stats = summary.numbers
                rows.append([section.section.title, question.text, "Mean", "", stats.mean])
                rows.append([section.section.title, question.text, "Median", "", stats.median])
            for theme, count in summary.themes:
                rows.append([section.section.title, question.text, f"Theme: {theme.name}", count, ""])
    return [[neutralise(cell) for cell in row] for row in rows]


def csv_bytes(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    buffer.write(BOM)
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def xlsx_file(sheets: dict[str, list[list]]) -> tempfile.SpooledTemporaryFile:
    workbook = Workbook(write_only=True)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    output = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - closed by FileResponse
    workbook.save(output)
    output.seek(0)
    return output
