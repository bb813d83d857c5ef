"""Reads of live updates: who has a document open."""

from django.contrib.auth import get_user_model
from django.db import connection

from apps.live.models import Presence

HEARTBEAT_SECONDS = 20
# A presence row not refreshed for this long belongs to a process that died: it no longer counts, and is deleted.
STALE_SECONDS = 3 * HEARTBEAT_SECONDS

PRESENT = f"""
SELECT DISTINCT presence.user_id, account.username
FROM {Presence._meta.db_table} presence JOIN {get_user_model()._meta.db_table} account ON account.id = presence.user_id
WHERE presence.document_id = %s AND presence.seen > now() - interval '{STALE_SECONDS} seconds'
ORDER BY account.username
"""


def present_readers(document_id: int, *, cursor=None) -> list[tuple[int, str]]:
    """(user id, username) of everyone with a live stream of the document open, on any server process; through
    `cursor` (the listener's own connection) or Django's connection."""
    if cursor is None:
        with connection.cursor() as own:
            return present_readers(document_id, cursor=own)
    cursor.execute(PRESENT, [document_id])
    return [tuple(row) for row in cursor.fetchall()]
