"""The append-only audit log: decisions and every look at reported content.

No route changes or deletes a row, and the database refuses it too: on SQLite and on
PostgreSQL a trigger aborts any UPDATE or DELETE of ``moderation_audit`` (migration 0014
creates them from the statements here). Rows hold ids and the moderator's short reason,
never names or reported words, so they can outlive the people they mention.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from socialode.moderation.models import AuditEntry
from socialode.platform.clock import utcnow

SCHEDULE = 0  # the actor of what a job does by itself (no member has id 0)
REFUSAL = "moderation_audit rows cannot be changed or deleted"

SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER moderation_audit_no_update BEFORE UPDATE ON moderation_audit
BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""",
    f"""CREATE TRIGGER moderation_audit_no_delete BEFORE DELETE ON moderation_audit
BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS moderation_audit_no_update",
    "DROP TRIGGER IF EXISTS moderation_audit_no_delete",
)
POSTGRES_TRIGGERS = (
    f"""CREATE OR REPLACE FUNCTION moderation_audit_refuse() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION '{REFUSAL}'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER moderation_audit_append_only BEFORE UPDATE OR DELETE ON moderation_audit
FOR EACH ROW EXECUTE FUNCTION moderation_audit_refuse()""",
    """CREATE TRIGGER moderation_audit_no_truncate BEFORE TRUNCATE ON moderation_audit
FOR EACH STATEMENT EXECUTE FUNCTION moderation_audit_refuse()""",
)
POSTGRES_DROP = (
    "DROP TRIGGER IF EXISTS moderation_audit_append_only ON moderation_audit",
    "DROP TRIGGER IF EXISTS moderation_audit_no_truncate ON moderation_audit",
    "DROP FUNCTION IF EXISTS moderation_audit_refuse()",
)


def do_audit(
    db: AsyncSession,
    actor_id: int,
    action: str,
    *,
    report_id: int | None = None,
    subject_id: int | None = None,
    reason: str = "",
) -> None:
    """Add a row in the caller's transaction (it lands with what it records, or not at all)."""
    db.add(
        AuditEntry(
            at=utcnow(),
            actor_id=actor_id,
            action=action,
            report_id=report_id,
            subject_id=subject_id,
            reason=reason,
        )
    )
