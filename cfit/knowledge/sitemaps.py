"""The sitemap lists only what everyone may read: public examples, news and events."""

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Event, GoodExample, NewsItem


class InEveryLanguage(Sitemap):
    """Each page once per language (/nl/…, /fr/…), with its other languages as
    alternates, so that search engines offer a reader the page in theirs."""

    i18n = True
    alternates = True
    x_default = True


class ListPagesSitemap(InEveryLanguage):
    def items(self) -> list[str]:
        return [
            "knowledge:examples",
            "knowledge:news",
            "knowledge:events",
            "knowledge:contact",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class GoodExampleSitemap(InEveryLanguage):
    changefreq = "monthly"

    def items(self) -> list[GoodExample]:
        return list(GoodExample.objects.public().order_by("pk"))

    def lastmod(self, item: GoodExample) -> datetime:
        return item.updated_at


class NewsSitemap(InEveryLanguage):
    def items(self) -> list[NewsItem]:
        return list(NewsItem.objects.public().order_by("pk"))

    def lastmod(self, item: NewsItem) -> datetime:
        return item.published_at


class EventSitemap(InEveryLanguage):
    def items(self) -> list[Event]:
        return list(Event.objects.public().order_by("pk"))


SITEMAPS = {
    "pages": ListPagesSitemap,
    "good-examples": GoodExampleSitemap,
    "news": NewsSitemap,
    "events": EventSitemap,
}
