"""API tokens that expire, and are revoked when the account's standing changes.

A token older than API_TOKEN_MAX_AGE_HOURS is refused (and deleted); a user's token is deleted
when their password changes, when they are deactivated, and when django-axes locks their account
out after too many failed sign-ins. A new token comes from the admin or `drf_create_token`.
"""

from datetime import timedelta

from axes.signals import user_locked_out
from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from .models import User


def token_max_age() -> timedelta:
    return timedelta(hours=settings.API_TOKEN_MAX_AGE_HOURS)


def is_expired(token: Token, now=None) -> bool:
    return (now or timezone.now()) - token.created >= token_max_age()


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing a token past its age (and removing it)."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if is_expired(token):
            token.delete()
            raise AuthenticationFailed("Token has expired.")
        return user, token


def revoke_tokens(user) -> int:
    """Delete every API token of this user; how many there were."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted


@receiver(post_save, sender=User, dispatch_uid="revoke-tokens-on-account-change")
def revoke_on_account_change(sender, instance, created, **kwargs):
    # set_password() keeps the new password in _password until save() has finished, so it is
    # still there while post_save runs: that is how a password change shows here.
    if created:
        return
    if not instance.is_active or getattr(instance, "_password", None) is not None:
        revoke_tokens(instance)


@receiver(user_locked_out, dispatch_uid="revoke-tokens-on-lockout")
def revoke_on_lockout(sender, request, username, ip_address, **kwargs):
    user = User.objects.filter(email__iexact=(username or "").strip()).first()
    if user is not None:
        revoke_tokens(user)
