"""Taps on the register sent from a phone's queue, each idempotency key applied once

Revision ID: 15b0c0de0006
Revises: 14b0c0de0002
Create Date: 2026-12-01 12:30:00

"""
from alembic import op
import sqlalchemy as sa

import peer_groups.db


# revision identifiers, used by Alembic.
revision = '15b0c0de0006'
down_revision = '14b0c0de0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('register_taps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=True),
    sa.Column('applied_at', peer_groups.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_register_taps_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['worker_id'], ['users.id'], name=op.f('fk_register_taps_worker_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_register_taps')),
    sa.UniqueConstraint('worker_id', 'key', name=op.f('uq_register_taps_worker_id_key'))
    )
    with op.batch_alter_table('register_taps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_register_taps_meeting_id'), ['meeting_id'], unique=False)


def downgrade():
    with op.batch_alter_table('register_taps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_register_taps_meeting_id'))

    op.drop_table('register_taps')
