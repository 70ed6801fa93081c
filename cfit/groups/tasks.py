"""Emails about buyer groups, working groups and notices, sent in the background."""

from django.tasks import task

from cfit.lib.mail import send_rendered_mail


@task()
def send_notice_email(*, subject: str, body: str, to: list[str]) -> None:
    """Send an email that `notify` rendered, one message per person."""
    send_rendered_mail(subject, body, to)
