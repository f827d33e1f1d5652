"""Passkeys: credentials, their one-time challenges, and an area's "admins need a passkey"

Revision ID: 19b0c0de0011
Revises: 20a0c0de0012
Create Date: 2026-12-01 15:40:00

"""
from alembic import op
import sqlalchemy as sa

import peer_groups.db


# revision identifiers, used by Alembic.
revision = '19b0c0de0011'
down_revision = '20a0c0de0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('passkeys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('credential_id', sa.String(length=1400), nullable=False),
    sa.Column('public_key', sa.LargeBinary(), nullable=False),
    sa.Column('sign_count', sa.BigInteger(), nullable=False),
    sa.Column('user_handle', sa.String(length=100), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('created_at', peer_groups.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', peer_groups.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_passkeys_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_passkeys')),
    sa.UniqueConstraint('credential_id', name=op.f('uq_passkeys_credential_id'))
    )
    with op.batch_alter_table('passkeys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_passkeys_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_passkeys_user_handle'), ['user_handle'], unique=False)

    op.create_table('passkey_challenges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('challenge_hash', sa.String(length=64), nullable=False),
    sa.Column('purpose', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('expires_at', peer_groups.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_passkey_challenges_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_passkey_challenges')),
    sa.UniqueConstraint('challenge_hash', name=op.f('uq_passkey_challenges_challenge_hash'))
    )
    with op.batch_alter_table('passkey_challenges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_passkey_challenges_expires_at'), ['expires_at'], unique=False)

    # Existing areas keep password and code for their admins until an admin chooses otherwise.
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('admins_need_passkey', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.alter_column('admins_need_passkey', existing_type=sa.Boolean(),
                              server_default=None)


def downgrade():
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.drop_column('admins_need_passkey')
    with op.batch_alter_table('passkey_challenges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_passkey_challenges_expires_at'))
    op.drop_table('passkey_challenges')
    with op.batch_alter_table('passkeys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_passkeys_user_handle'))
        batch_op.drop_index(batch_op.f('ix_passkeys_user_id'))
    op.drop_table('passkeys')
