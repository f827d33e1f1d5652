"""Joins finished from a link sent to the person; notices before idle accounts are removed

Revision ID: 13d0f1e2a3b4
Revises: 13c0a5e47e11
Create Date: 2026-12-01 09:00:00

"""
from alembic import op
import sqlalchemy as sa

import peer_groups.db


# revision identifiers, used by Alembic.
revision = '13d0f1e2a3b4'
down_revision = '13c0a5e47e11'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pending_joins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('display_name', sa.String(length=80), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('birth_year', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('created_at', peer_groups.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', peer_groups.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'], name=op.f('fk_pending_joins_invitation_id_invitations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_joins')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_pending_joins_token_hash'))
    )
    with op.batch_alter_table('pending_joins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_joins_invitation_id'), ['invitation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pending_joins_expires_at'), ['expires_at'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('removal_notice_sent_at', peer_groups.db.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('removal_notice_sent_at')

    with op.batch_alter_table('pending_joins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_joins_expires_at'))
        batch_op.drop_index(batch_op.f('ix_pending_joins_invitation_id'))

    op.drop_table('pending_joins')
