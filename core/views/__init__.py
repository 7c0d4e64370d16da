"""What the dashboard draws, computed from store tables with pandas alone.

Every function takes tables (as returned by :mod:`core.store` and
:func:`core.analysis.load_articles`) and returns a new table; none mutates its
input and none imports streamlit, so each is tested directly on the seeds.

Dates keep their precision: a month-precision date is a period (``2023-09``
covers all of September 2023) and is inside any range that overlaps it.

One module per part of the dashboard: :mod:`~core.views.articles`,
:mod:`~core.views.entities`, :mod:`~core.views.sanctions`, :mod:`~core.views.topics`,
:mod:`~core.views.reading` and :mod:`~core.views.quotes`; their public functions are
named here too, so that pages write ``views.entity_table``.
"""

from core.views.articles import (
    MONTH_NAMES,
    NEWEST_RANK,
    UNDATED,
    article_labels,
    articles_per_month,
    date_bounds,
    date_label,
    filter_articles,
    language_counts,
    month_key,
    month_key_label,
    newest_first,
    newest_ranks,
    per_date,
    source_labels,
    with_newest_rank,
)
from core.views.entities import (
    MAX_COOCCURRING,
    cooccurrence,
    entity_articles,
    entity_sentence_count,
    entity_sentences,
    entity_table,
    mentions_over_time,
    sentence_entities,
    with_sentence_text,
)
from core.views.sanctions import (
    LEXICON,
    actor_cell,
    actors_matrix,
    sanctions_by_actor,
    sanctions_by_category,
    sanctions_categories,
    sanctions_cell,
    sanctions_matrix,
    with_sanctions_wording,
)
from core.views.topics import (
    distinctive_terms,
    similar_articles,
    similarity_matrix,
    topic_article_matrix,
    topic_articles,
    topic_labels,
    topic_share_by_month,
    topic_terms,
)
from core.views.reading import (
    kwic,
    removed_lines,
    wire_groups,
)
from core.views.quotes import (
    ATTRIBUTIONS,
    attribution_label,
    quote_speakers,
    quotes_per_month,
    quotes_table,
    quotes_within,
    quotes_with_words,
)

__all__ = [
    "UNDATED",
    "MONTH_NAMES",
    "per_date",
    "date_label",
    "date_bounds",
    "month_key",
    "month_key_label",
    "newest_first",
    "newest_ranks",
    "NEWEST_RANK",
    "with_newest_rank",
    "source_labels",
    "article_labels",
    "filter_articles",
    "articles_per_month",
    "language_counts",
    "entity_articles",
    "entity_table",
    "mentions_over_time",
    "sentence_entities",
    "MAX_COOCCURRING",
    "cooccurrence",
    "entity_sentences",
    "entity_sentence_count",
    "with_sentence_text",
    "LEXICON",
    "sanctions_categories",
    "sanctions_by_category",
    "sanctions_by_actor",
    "with_sanctions_wording",
    "sanctions_matrix",
    "actors_matrix",
    "sanctions_cell",
    "actor_cell",
    "topic_terms",
    "topic_labels",
    "topic_articles",
    "topic_share_by_month",
    "topic_article_matrix",
    "distinctive_terms",
    "similarity_matrix",
    "similar_articles",
    "wire_groups",
    "kwic",
    "removed_lines",
    "quotes_table",
    "quotes_within",
    "ATTRIBUTIONS",
    "attribution_label",
    "quotes_with_words",
    "quote_speakers",
    "quotes_per_month",
]
