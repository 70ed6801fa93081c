"""Template tags of groups: none run queries; pages get their data from the views
(My page: cfit.accounts.views.home) and cfit.context_processors.site."""

from django import template

register = template.Library()
