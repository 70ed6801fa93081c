"""Sign-ins, failures, lockouts and second factors, told by Django, allauth and axes."""

from typing import Any

from allauth.mfa.signals import (
    authentication_failed,
    authenticator_added,
    authenticator_removed,
)
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from cfit.accounts.axes import username_from_request
from cfit.accounts.models import User

from .models import SecurityAction
from .services import audit_record


@receiver(user_logged_in, dispatch_uid="security_sign_in")
def _signed_in(
    sender: Any, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    audit_record(action=SecurityAction.SIGN_IN, actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="security_sign_in_failed")
def _sign_in_failed(
    sender: Any,
    credentials: dict[str, Any],
    request: HttpRequest | None = None,
    **kwargs: Any,
) -> None:
    typed = username_from_request(request, credentials) if request else ""
    audit_record(
        action=SecurityAction.SIGN_IN_FAILED,
        actor=User.objects.filter(email__iexact=typed).first() if typed else None,
        actor_label=typed,
        request=request,
    )


@receiver(user_locked_out, dispatch_uid="security_locked_out")
def _locked_out(
    sender: Any, request: HttpRequest, username: str | None = None, **kwargs: Any
) -> None:
    typed = (username or "").strip().lower()
    audit_record(
        action=SecurityAction.LOCKED_OUT,
        actor=User.objects.filter(email__iexact=typed).first() if typed else None,
        actor_label=typed,
        request=request,
    )


@receiver(authenticator_added, dispatch_uid="security_second_factor_added")
def _second_factor_added(
    sender: Any, request: HttpRequest, user: User, authenticator: Any, **kwargs: Any
) -> None:
    audit_record(
        action=SecurityAction.SECOND_FACTOR_ADDED,
        actor=user,
        target=authenticator.get_type_display(),
        request=request,
    )


@receiver(authenticator_removed, dispatch_uid="security_second_factor_removed")
def _second_factor_removed(
    sender: Any, request: HttpRequest, user: User, authenticator: Any, **kwargs: Any
) -> None:
    audit_record(
        action=SecurityAction.SECOND_FACTOR_REMOVED,
        actor=user,
        target=authenticator.get_type_display(),
        request=request,
    )


@receiver(authentication_failed, dispatch_uid="security_second_factor_failed")
def _second_factor_failed(
    sender: Any, request: HttpRequest, user: User, **kwargs: Any
) -> None:
    audit_record(
        action=SecurityAction.SECOND_FACTOR_FAILED, actor=user, request=request
    )
