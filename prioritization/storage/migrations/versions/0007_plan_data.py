"""an object's place in the plan process (issue 14): a free-text ``planning_status`` stored in an
object's data moves, word for word, into ``plan.stage_note``

The rule is :func:`prioritization.planning.fileformat.upgrade_object`, the same that reads an older
project file; nothing else of the object changes. Frozen versions keep their stored text as it was
frozen (their SHA-256 and seal must still hold): reading one upgrades it in memory only.
Downgrade: an object whose ``plan`` holds nothing but ``stage_note`` gets it back as
``planning_status``; richer plan data stays where it is (an older app keeps it as an attribute).

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

from prioritization.planning.fileformat import LEGACY_STAGE_KEY, upgrade_object

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

objects = sa.table('objects', sa.column('id', sa.Integer()), sa.column('data', sa.JSON()))


def _rewrite(change) -> None:
    """Apply ``change(data) -> new data or None`` to every object row, writing only the changed ones."""
    conn = op.get_bind()
    for row_id, data in conn.execute(sa.select(objects.c.id, objects.c.data).order_by(objects.c.id)).all():
        if isinstance(data, dict) and (new := change(data)) is not None and new != data:
            conn.execute(objects.update().where(objects.c.id == row_id).values(data=new))


def _upgraded(data: dict) -> dict | None:
    return upgrade_object(data) if isinstance(data.get(LEGACY_STAGE_KEY), str) else None


def _downgraded(data: dict) -> dict | None:
    plan = data.get('plan')
    if LEGACY_STAGE_KEY in data or not isinstance(plan, dict) or set(plan) != {'stage_note'} \
            or not isinstance(plan['stage_note'], str):
        return None
    out = {k: v for k, v in data.items() if k != 'plan'}
    out[LEGACY_STAGE_KEY] = plan['stage_note']
    return out


def upgrade() -> None:
    _rewrite(_upgraded)


def downgrade() -> None:
    _rewrite(_downgraded)
