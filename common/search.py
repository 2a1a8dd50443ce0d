"""Full-text search documents that PostgreSQL keeps itself, for the site search.

``search_document(title, summary, *body)`` is a stored generated column: PostgreSQL recomputes it
whenever the row is written, so it can never fall out of step with what editors wrote, and a GIN
index over it (``search_index``) finds matches without reading every row. Titles weigh most (A),
summaries next (B), bodies least (C), in the English configuration ("consulting" finds "consultation").
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models

CONFIG = "english"


def weighted_vector(title: str, summary: str, *body: str) -> SearchVector:
    return (
        SearchVector(title, weight="A", config=CONFIG)
        + SearchVector(summary, weight="B", config=CONFIG)
        + SearchVector(*body, weight="C", config=CONFIG)
    )


def search_document(title: str, summary: str, *body: str) -> models.GeneratedField:
    return models.GeneratedField(
        expression=weighted_vector(title, summary, *body), output_field=SearchVectorField(), db_persist=True
    )


def search_index(prefix: str) -> GinIndex:
    return GinIndex(fields=["search_document"], name=f"{prefix}_search")
