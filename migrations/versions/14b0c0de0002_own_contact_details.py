"""A young person's own email and phone, confirmed by a code; how news and reminders reach them

Revision ID: 14b0c0de0002
Revises: 14a0c0de0001
Create Date: 2026-12-01 12:30:00

"""
from alembic import op
import sqlalchemy as sa

import peer_groups.db


# revision identifiers, used by Alembic.
revision = '14b0c0de0002'
down_revision = '14a0c0de0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pending_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('email', 'sms', name='channel', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('value', sa.String(length=254), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', peer_groups.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', peer_groups.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_pending_contacts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_contacts')),
    sa.UniqueConstraint('user_id', 'kind', name=op.f('uq_pending_contacts_user_id_kind'))
    )

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notify_by', sa.Enum('app', 'email', 'sms', name='notifyby', native_enum=False, create_constraint=True, length=32), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_users_notifyby'), type_='check')
        batch_op.drop_column('notify_by')

    op.drop_table('pending_contacts')
