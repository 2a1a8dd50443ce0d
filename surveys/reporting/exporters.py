"""Survey exports behind one registry: a summary of the dashboard, every response, and its codebook.

An ``Exporter`` names what it is (identifier, label), who may have it (permission) and how it is
written to a file. Everything but the codebook (which holds no responses) is written by the
background worker (``surveys.reporting.jobs``), never inside a web request.

The responses export pivots answers into one column per question (one per option for multiple
choice, from ``surveys.kinds``), so every route through conditional questions gives the same
columns. The matching responses are fixed once, at the start, in a temporary table, then read in
batches by id: each batch is one statement (``COPY`` straight to the file for CSV, in batches of
``BATCH_SIZE``; rows read into the worker for Excel, in smaller batches of ``FETCHED_BATCH_SIZE``),
progress is reported between batches, and memory stays flat however many responses there are.

Cells that a spreadsheet could run as a formula (starting with = + - @, tab or carriage return)
get a leading apostrophe: in SQL for people's writing, in Python for labels, the summary and the
codebook.
"""

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import cached_property
from typing import BinaryIO

from django.db import DatabaseError, connection
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from surveys.kinds import ExportColumn, kind_of
from surveys.models import ExportRecord, Response, Survey
from surveys.reporting.dashboard import Dashboard, build_dashboard
from surveys.reporting.filters import ResponseFilter
from surveys.structure import SurveyStructure

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The same test in SQL, for people's writing (a POSIX class: tab and carriage return as themselves).
FORMULA_START_SQL = "'^[-=+@' || chr(9) || chr(13) || ']'"
BOM = "\ufeff"  # so Excel opens the CSV as UTF-8
XLSX_ROW_LIMIT = 1_048_576
ROUNDING_NOTE = (
    "Equality-monitoring figures (and every figure when an About-you answer is a filter) are rounded to the "
    "nearest 5; any below {threshold} is shown as “fewer than {threshold}”."
)
BATCH_SIZE = 50_000
FETCHED_BATCH_SIZE = 20_000
FETCH_SIZE = 5_000
MATCHING = "export_matching_responses"


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class ExportRefused(Exception):
    """The export cannot be made as asked; the message says why and what to do instead."""


@dataclass
class ExportRequest:
    """One person's export of one survey's responses, seen through the dashboard's filters."""

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


class Progress:
    """Told how many rows an export will have and how far it has got (a job shows it to the person)."""

    def start(self, total: int) -> None:
        pass

    def advance(self, done: int) -> None:
        pass


@dataclass(frozen=True)
class Exporter:
    identifier: str  # the end of its address, "responses.csv"
    label: str
    permission: str
    record_kind: str  # ExportRecord.Kind
    write: Callable[[ExportRequest, BinaryIO, Progress], int]  # writes the file, returns its rows
    row_level: bool = False  # one row per response: may hold equality data, for those allowed it
    refuse: Callable[[ExportRequest], str | None] | None = None
    immediate: bool = False  # small and holding no responses: written at once, in the request

    @property
    def file_format(self) -> str:
        return self.identifier.rsplit(".", 1)[1]

    @property
    def what(self) -> str:
        return self.identifier.rsplit(".", 1)[0]

    @property
    def content_type(self) -> str:
        if self.file_format == "csv":
            return "text/csv; charset=utf-8"
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def includes_equality_data(self, export: ExportRequest) -> bool:
        """About-you answers in its rows, or rows chosen by an About-you answer."""
        filtered = export.response_filter.uses_equality_answers(export.structure.questions)
        return self.row_level and (export.include_equality or filtered)

    def filename(self, survey: Survey) -> str:
        stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
        return f"{survey.consultation.slug}-{self.what}-{stamp}.{self.file_format}"


# The responses, one row each


def response_columns(structure: SurveyStructure, include_equality: bool) -> list[ExportColumn]:
    channel_values = ", ".join(Response.Channel.values)
    columns = [
        ExportColumn(
            "reference", "Response reference", "text", "10 letters and numbers", "r.reference", per_response=True
        ),
        ExportColumn(
            "submitted_at",
            "When the response was sent (UK time)",
            "date and time",
            "YYYY-MM-DD HH:MM:SS",
            "to_char(r.submitted_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD HH24:MI:SS')",
            per_response=True,
        ),
        ExportColumn(
            "channel", "How the response was received", "choice", channel_values, "r.channel", per_response=True
        ),
    ]
    for section, questions in structure:
        if section.is_about_you and not include_equality:
            continue
        for question in questions:
            columns += kind_of(question).export_columns(question)
    return columns


@contextmanager
def matching_batches(response_filter: ResponseFilter, batch_size: int) -> Iterator[tuple[int, list[tuple[int, int]]]]:
    """How many responses match, and their ids as ranges (after, up to] of ``batch_size`` responses each.

    The ids are fixed at the start in a temporary table, so the batches cover exactly the responses
    that matched when the export began (less any erased meanwhile: their rows are gone).
    """
    ids_sql, ids_params = response_filter.responses().order_by().values("id").query.sql_with_params()
    with connection.cursor() as cursor:
        # One core for an export: the site's pages keep the rest while it is made.
        cursor.execute("SET max_parallel_workers_per_gather = 0")
        cursor.execute(f"DROP TABLE IF EXISTS {MATCHING}")
        cursor.execute(f"CREATE TEMPORARY TABLE {MATCHING} (id bigint PRIMARY KEY)")
        cursor.execute(f"INSERT INTO {MATCHING} {ids_sql}", ids_params)  # noqa: S608 - our own table
        total = cursor.rowcount
        cursor.execute(f"ANALYZE {MATCHING}")
        cursor.execute(
            f"SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM {MATCHING}) numbered "  # noqa: S608
            "WHERE n %% %s = 0 OR n = %s ORDER BY id",
            [batch_size, total],
        )
        ends = [end for (end,) in cursor.fetchall()]
    try:
        yield total, list(zip([0, *ends], ends, strict=False))
    finally:
        # Temporary anyway (gone with the connection); never hide the error that brought us here.
        with suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {MATCHING}")
            cursor.execute("RESET max_parallel_workers_per_gather")


def batch_query(columns: list[ExportColumn]) -> tuple[str, dict]:
    """The rows of the matching responses with ids in (%(after)s, %(upto)s], in id order.

    Answers are aggregated per response on integers (choice ids, not labels) through the answer
    table's response index, then turned into the cells people read.
    """
    params: dict[str, object] = {}
    aggregates = [column for column in columns if not column.per_response]
    cells = []
    for column in columns:
        if column.per_response:
            cells.append(column.sql)
            continue
        value = f"x.c{aggregates.index(column)}"
        if column.labels:
            cases = []
            for choice_id, label in column.labels:
                name = f"label{len(params)}"
                params[name] = neutralise(label)
                cases.append(f"WHEN {int(choice_id)} THEN %({name})s")
            cells.append(f"CASE {value} {' '.join(cases)} END")
        elif column.text:
            cells.append(f"CASE WHEN {value} ~ ({FORMULA_START_SQL}) THEN chr(39) || {value} ELSE {value} END")
        else:
            cells.append(value)
    in_batch = "{id} > %(after)s AND {id} <= %(upto)s"
    answers = ""
    if aggregates:
        answered = ", ".join(f"{column.sql} AS c{index}" for index, column in enumerate(aggregates))
        answers = (
            f"LEFT JOIN (SELECT a.response_id, {answered} FROM surveys_answer a "  # noqa: S608 - built from ids
            f"WHERE {in_batch.format(id='a.response_id')} "
            f"AND a.response_id IN (SELECT id FROM {MATCHING} WHERE {in_batch.format(id='id')}) "
            "GROUP BY a.response_id) x ON x.response_id = r.id "
        )
    sql = (
        f"SELECT {', '.join(cells)} FROM {MATCHING} m JOIN surveys_response r ON r.id = m.id "  # noqa: S608
        # The range on r as well as m, so each batch reads its own responses by the primary key.
        f"{answers}WHERE {in_batch.format(id='m.id')} AND {in_batch.format(id='r.id')} ORDER BY m.id"
    )
    return sql, params


def write_responses_csv(export: ExportRequest, out: BinaryIO, progress: Progress) -> int:
    header = io.StringIO()
    csv.writer(header).writerow([column.name for column in export.columns])
    out.write((BOM + header.getvalue()).encode())
    sql, params = batch_query(export.columns)
    done = 0
    with matching_batches(export.response_filter, BATCH_SIZE) as (total, batches), connection.cursor() as cursor:
        progress.start(total)
        for after, upto in batches:
            statement = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"
            with cursor.cursor.copy(statement, {**params, "after": after, "upto": upto}) as copy:
                for block in copy:
                    out.write(block)
            done += cursor.cursor.rowcount
            progress.advance(done)
    return done


def write_responses_xlsx(export: ExportRequest, out: BinaryIO, progress: Progress) -> int:
    problem = too_many_for_excel(export)
    if problem:
        raise ExportRefused(problem)
    sql, params = batch_query(export.columns)
    written = 0

    def rows() -> Iterator[Iterable]:
        nonlocal written
        yield [column.name for column in export.columns]
        with (
            matching_batches(export.response_filter, FETCHED_BATCH_SIZE) as (total, batches),
            connection.cursor() as cursor,
        ):
            progress.start(total)
            for after, upto in batches:
                cursor.execute(sql, {**params, "after": after, "upto": upto})
                while block := cursor.fetchmany(FETCH_SIZE):
                    yield from block
                    written += len(block)
                progress.advance(written)

    write_xlsx(out, {"Responses": rows(), "Codebook": codebook_rows(export)})
    return written


def too_many_for_excel(export: ExportRequest) -> str | None:
    count = export.response_filter.responses().count()
    if count < XLSX_ROW_LIMIT:
        return None
    return (
        f"Excel holds at most {XLSX_ROW_LIMIT - 1:,} rows and this export has {count:,}: "
        "download the CSV, or add a filter."
    )


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


def write_codebook_csv(export: ExportRequest, out: BinaryIO, progress: Progress) -> int:
    rows = codebook_rows(export)
    write_csv(out, rows)
    return len(export.columns)


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


def _summary(export: ExportRequest) -> list[list]:
    dashboard = build_dashboard(export.survey, export.response_filter, export.structure)
    return summary_rows(dashboard, export.filters_described)


def write_summary_csv(export: ExportRequest, out: BinaryIO, progress: Progress) -> int:
    rows = _summary(export)
    write_csv(out, rows)
    return len(rows)


def write_summary_xlsx(export: ExportRequest, out: BinaryIO, progress: Progress) -> int:
    rows = _summary(export)
    write_xlsx(out, {"Summary": rows})
    return len(rows)


DASHBOARD = "surveys.view_dashboard"
INDIVIDUAL = "surveys.view_individual_responses"
Kind = ExportRecord.Kind

EXPORTERS = {
    exporter.identifier: exporter
    for exporter in [
        Exporter("summary.csv", "Summary (CSV)", DASHBOARD, Kind.SUMMARY_CSV, write_summary_csv),
        Exporter("summary.xlsx", "Summary (Excel)", DASHBOARD, Kind.SUMMARY_XLSX, write_summary_xlsx),
        Exporter(
            "responses.csv",
            "Every response (CSV)",
            INDIVIDUAL,
            Kind.RESPONSES_CSV,
            write_responses_csv,
            row_level=True,
        ),
        Exporter(
            "responses.xlsx",
            "Every response (Excel, with its codebook)",
            INDIVIDUAL,
            Kind.RESPONSES_XLSX,
            write_responses_xlsx,
            row_level=True,
            refuse=too_many_for_excel,
        ),
        Exporter(
            "codebook.csv",
            "Codebook (CSV)",
            INDIVIDUAL,
            Kind.CODEBOOK_CSV,
            write_codebook_csv,
            row_level=True,
            immediate=True,
        ),
    ]
}


# Writing the files


def write_csv(out: BinaryIO, rows: Iterable[list]) -> None:
    buffer = io.StringIO()
    buffer.write(BOM)
    csv.writer(buffer).writerows(rows)
    out.write(buffer.getvalue().encode())


def write_xlsx(out: BinaryIO, sheets: dict[str, Iterable[list]]) -> None:
    """An Excel workbook written row by row (openpyxl's write-only mode: memory stays flat)."""
    workbook = Workbook(write_only=True)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) if isinstance(cell, str) else cell for cell in row])
    workbook.save(out)
