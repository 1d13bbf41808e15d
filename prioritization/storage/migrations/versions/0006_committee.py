"""the committee's round after the summer (issue 13): what the facilitator writes in
``rounds.committee``, what the municipalities write in rows of their own (allocations, proposals,
wishes, stances), and municipal representatives as invitations and sessions

SQLite cannot alter a CHECK constraint: batch mode copies the table with the new one and drops the
old one. With foreign keys on (as the app runs), dropping ``invitations`` would delete every browser
session signed in with a link (``web_sessions.invitation_id`` ON DELETE CASCADE), and dropping
``rounds`` everything in every round: the sessions are kept aside and put back, and the column of
``rounds`` is dropped in place (SQLite 3.35+), never by copying the table.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

ROLES_BEFORE = "role IN ('participant', 'viewer')"
ROLES_AFTER = "role IN ('participant', 'viewer', 'municipality')"
SESSION_ROLES_BEFORE = "role IN ('facilitator', 'participant', 'viewer')"
SESSION_ROLES_AFTER = "role IN ('facilitator', 'participant', 'viewer', 'municipality')"
SESSION_COLUMNS = "id, token_hash, role, invitation_id, created_at, expires_at, ended_at"


def _new_role_checks(invitation_roles: str, session_roles: str, *, add: bool) -> None:
    """The role checks of invitations and sessions (and the municipality column), keeping the
    sessions when SQLite copies the tables."""
    sqlite = op.get_bind().dialect.name == 'sqlite'
    if sqlite:
        op.execute(f"CREATE TEMP TABLE keep_web_sessions AS SELECT {SESSION_COLUMNS} FROM web_sessions")
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        if add:
            batch_op.add_column(sa.Column('municipality', sa.String(length=100), nullable=True))
        batch_op.drop_constraint('invitation_role', type_='check')
        batch_op.create_check_constraint('invitation_role', invitation_roles)
        if not add:
            batch_op.drop_column('municipality')
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.drop_constraint('session_role', type_='check')
        batch_op.create_check_constraint('session_role', session_roles)
    if sqlite:
        op.execute("DELETE FROM web_sessions")
        op.execute(f"INSERT INTO web_sessions ({SESSION_COLUMNS}) SELECT {SESSION_COLUMNS} FROM keep_web_sessions")
        op.execute("DROP TABLE keep_web_sessions")


def _round_table(name: str, *columns: sa.Column, constraints: tuple = ()) -> None:
    op.create_table(
        name,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        *constraints,
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{name}_round_id'), ['round_id'], unique=False)


def upgrade() -> None:
    with op.batch_alter_table('rounds', schema=None) as batch_op:  # adding a column: in place
        batch_op.add_column(sa.Column('committee', sa.JSON(), nullable=True))
    _new_role_checks(ROLES_AFTER, SESSION_ROLES_AFTER, add=True)
    _round_table(
        'allocations',
        sa.Column('municipality', sa.String(length=100), nullable=False),
        sa.Column('object', sa.String(length=100), nullable=False),
        sa.Column('points', sa.Integer(), nullable=False),
        sa.Column('rationale', sa.Text(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        constraints=(sa.UniqueConstraint('round_id', 'municipality', 'object', name='one_allocation_per_object'),
                     sa.CheckConstraint('points > 0', name='allocation_points')))
    _round_table(
        'proposals',
        sa.Column('key', sa.String(length=100), nullable=False),
        sa.Column('municipality', sa.String(length=100), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('object', sa.String(length=100), nullable=True),
        sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
        constraints=(sa.UniqueConstraint('round_id', 'key', name='one_proposal_per_key'),
                     sa.CheckConstraint("status IN ('proposed', 'accepted', 'declined')", name='proposal_status')))
    _round_table(
        'wishes',
        sa.Column('municipality', sa.String(length=100), nullable=False),
        sa.Column('object', sa.String(length=100), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        constraints=(sa.UniqueConstraint('round_id', 'municipality', 'object', name='one_wish_per_object'),))
    _round_table(
        'stances',
        sa.Column('municipality', sa.String(length=100), nullable=False),
        sa.Column('version', sa.String(length=64), nullable=False),
        sa.Column('stance', sa.String(length=30), nullable=False),
        sa.Column('comment', sa.Text(), nullable=True),
        sa.Column('object_comments', sa.JSON(), nullable=True),
        sa.Column('decision', sa.JSON(), nullable=True),
        sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True),
        constraints=(sa.UniqueConstraint('round_id', 'municipality', 'version', name='one_stance_per_version'),
                     sa.CheckConstraint("stance IN ('support', 'support_with_comments', 'oppose')",
                                        name='stance_value')))


def downgrade() -> None:
    for name in ('stances', 'wishes', 'proposals', 'allocations'):
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{name}_round_id'))
        op.drop_table(name)
    # municipal representatives go with the role (their sessions with their invitations)
    op.execute("DELETE FROM web_sessions WHERE role = 'municipality'")
    op.execute("DELETE FROM invitations WHERE role = 'municipality'")
    _new_role_checks(ROLES_BEFORE, SESSION_ROLES_BEFORE, add=False)
    op.drop_column('rounds', 'committee')  # in place (never a copy of rounds: see above)
