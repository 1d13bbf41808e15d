"""tamper-evident frozen versions: a keyed seal (HMAC-SHA256 with a key kept outside the database)
over the version's identity, name, author, time and digest

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seal', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('versions', schema=None) as batch_op:
        batch_op.drop_column('seal')
