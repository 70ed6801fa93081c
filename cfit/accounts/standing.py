"""A person's standing: what every signed-in page asks about them, read once and kept.

Who is secretariat, the person's membership, the organisations they coordinate and
their unread notices are asked on every page (the layout, the access checks, the
second-factor rule). Each answer is built by its own home (cfit.organisations.selectors,
cfit.groups.selectors) through `remembered()`, which keeps all of one person's answers
in one cache entry, read with two tokens in one round trip: the person's own and
everyone's. The answers are kept only while both tokens, and the access fields of the
user row (read on every request anyway), are those they were built under.

A write that can change an answer replaces a token, from every door: the rows below are
watched through Django's model signals, because Django's own doors (the admin of users
and groups, `createsuperuser`, `manage.py shell`) have no service of ours to call; the
writes that send no signal (bulk creates and updates of notices) call
`person_changed()` themselves, and every migration makes everyone's answers stale. A token is replaced at once and again once the write
commits, as the criteria base's generation is (cfit/criteria/caching.py): answers
built from rows read before the commit are kept under a token that is already gone.
Tokens are random, so a cache that lost one never goes back to an old one.
"""

import uuid
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
)

from .models import User

# Kept answers are rebuilt at least this often, whatever happens.
TIMEOUT_SECONDS = 10 * 60
_ANSWERS = "standing:{}"
_PERSON_TOKEN = "standing:token:{}"
_EVERYONE_TOKEN = "standing:token"
_ON_USER = "_cfit_standing"

# What the answers read. A write to a row of the first kind moves the token of the
# person the named field points to; a write to one of the second kind, everyone's.
PERSON_ROWS = {
    "organisations.Membership": "user_id",
    "groups.Notice": "recipient_id",
}
EVERYONE_ROWS = (
    # The organisation's name and address are shown with the membership.
    "organisations.Organisation",
    # Who coordinates whom.
    "groups.BuyerGroup",
    "groups.BuyerGroupMembership",
    # Rights: deleting a group or a permission sends no m2m signal.
    Group,
    Permission,
)


def _replace(key: str) -> None:
    try:
        # A savepoint: with the database as cache, a failure must not end the write.
        with transaction.atomic():
            cache.set(key, uuid.uuid4().hex, None)
    except DatabaseError:
        # Migrations write permissions and groups before `createcachetable`: there
        # is no cache yet, so nothing in it can be stale.
        pass


def _moved(keys: list[str]) -> None:
    for key in keys:
        _replace(key)
    transaction.on_commit(partial(_replace_all, keys))


def _replace_all(keys: list[str]) -> None:
    for key in keys:
        _replace(key)


def person_changed(user_ids: Iterable[int | None]) -> None:
    """Make the kept answers about these people stale."""
    keys = sorted({_PERSON_TOKEN.format(pk) for pk in user_ids if pk is not None})
    if keys:
        _moved(keys)


def everyone_changed() -> None:
    """Make everyone's kept answers stale (rights, organisations, buyer groups)."""
    _moved([_EVERYONE_TOKEN])


def forget_on(user: User | AnonymousUser) -> None:
    """Drop the answers read into this user object (a service that just changed them)."""
    if hasattr(user, _ON_USER):
        delattr(user, _ON_USER)


def _token(key: str, found: dict[str, Any]) -> str:
    token = found.get(key)
    if token is None:
        cache.add(key, uuid.uuid4().hex, None)
        token = cache.get(key, "")
    return str(token)


def _state(user: User) -> dict[str, Any]:
    """The person's answers and their tag, read once per user object (per request)."""
    state: dict[str, Any] | None = getattr(user, _ON_USER, None)
    if state is None:
        keys = [
            _ANSWERS.format(user.pk),
            _PERSON_TOKEN.format(user.pk),
            _EVERYONE_TOKEN,
        ]
        found = cache.get_many(keys)
        tag = (
            _token(keys[1], found),
            _token(keys[2], found),
            user.is_active,
            user.is_staff,
            user.is_superuser,
        )
        kept = found.get(keys[0])
        answers = kept[1] if kept is not None and kept[0] == tag else {}
        state = {"tag": tag, "answers": answers}
        setattr(user, _ON_USER, state)
    return state


def remembered[T](user: User | AnonymousUser, name: str, build: Callable[[], T]) -> T:
    """The answer `build` gives about `user`, kept until something it reads changes."""
    if not isinstance(user, User) or user.pk is None:
        # A visitor (or an unsaved person) has no standing to keep.
        return build()
    state = _state(user)
    answers: dict[str, Any] = state["answers"]
    if name not in answers:
        answers = state["answers"] = {**answers, name: build()}
        cache.set(_ANSWERS.format(user.pk), (state["tag"], answers), TIMEOUT_SECONDS)
    value: T = answers[name]
    return value


def _person_row_written(sender: Any, instance: Any, **kwargs: Any) -> None:
    field = PERSON_ROWS[sender._meta.label]
    person_changed([getattr(instance, field)])


def _everyone_row_written(**kwargs: Any) -> None:
    everyone_changed()


def _migrated(**kwargs: Any) -> None:
    # A data migration writes through historical models, which send no signal ours
    # are connected to: after any migration, everyone's answers are read afresh.
    everyone_changed()


def _rights_changed(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if not action.startswith("post_"):
        return
    if isinstance(instance, User):
        person_changed([instance.pk])
    else:
        # A group's people or permissions: whoever is in it.
        everyone_changed()


def connect() -> None:
    """Watch the rows the answers read (AccountsConfig.ready)."""
    for label in PERSON_ROWS:
        for signal in (post_save, post_delete):
            signal.connect(_person_row_written, sender=label, weak=False)
    for model in EVERYONE_ROWS:
        for signal in (post_save, post_delete):
            signal.connect(_everyone_row_written, sender=model, weak=False)
    for through in (
        User.groups.through,
        User.user_permissions.through,
        Group.permissions.through,
    ):
        m2m_changed.connect(_rights_changed, sender=through, weak=False)
    post_migrate.connect(_migrated, dispatch_uid="standing_migrated", weak=False)
