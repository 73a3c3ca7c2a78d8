"""Free-text search over the knowledge base, whatever the spelling.

Built on :class:`helpdesk.classify.TextIndex`, so ``رخصة``/``رخصه``/``رُخْصَة``,
``إجراءات``/``اجراءات`` and ``renewing``/``renew`` all find the same article.
A hit must clear :data:`MIN_SCORE` so that one common word alone (``permit``)
does not pass for an answer.
"""

from __future__ import annotations

from collections.abc import Iterable

from bots.models import KnowledgeArticle
from helpdesk.classify import Field, Match, TextIndex

# Search words count most, then the title, then the body.
KEYWORD_WEIGHT = 3.0
TITLE_WEIGHT = 2.0
BODY_WEIGHT = 0.5
MIN_SCORE = 4.0


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def article_index(
    articles: Iterable[KnowledgeArticle] | None = None,
) -> TextIndex[KnowledgeArticle]:
    if articles is None:
        articles = KnowledgeArticle.objects.filter(is_published=True)
    return TextIndex(
        (
            article,
            [
                Field(
                    KEYWORD_WEIGHT, phrases=_lines(article.keywords_ar + "\n" + article.keywords_en)
                ),
                Field(TITLE_WEIGHT, phrases=(article.title_ar, article.title_en)),
                Field(BODY_WEIGHT, text=article.body_ar + "\n" + article.body_en),
            ],
        )
        for article in articles
    )


def article_search(query: str, *, limit: int = 3) -> list[Match[KnowledgeArticle]]:
    """Published articles answering ``query``, best first; empty when nothing fits well."""
    return article_index().rank(query, limit=limit, min_score=MIN_SCORE)
