"""Single sign-on: an area's OpenID Connect provider, and the sessions that began there

Revision ID: 19a0c0de0010
Revises: 21b0c0de0013
Create Date: 2026-12-01 15:40:00

"""
from alembic import op
import sqlalchemy as sa

import peer_groups.db


# revision identifiers, used by Alembic.
revision = '19a0c0de0010'
down_revision = '21b0c0de0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sso_providers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('display_name', sa.String(length=80), nullable=False),
    sa.Column('issuer', sa.String(length=500), nullable=False),
    sa.Column('client_id', sa.String(length=255), nullable=False),
    sa.Column('client_secret', sa.String(length=500), nullable=False),
    sa.Column('email_domains', sa.String(length=1000), nullable=False),
    sa.Column('mfa_acr_values', sa.String(length=500), nullable=False),
    sa.Column('created_at', peer_groups.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', peer_groups.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_sso_providers_area_id_areas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sso_providers')),
    sa.UniqueConstraint('area_id', name=op.f('uq_sso_providers_area_id'))
    )
    op.create_table('sso_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('auth_session_id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('id_token', sa.Text(), nullable=False),
    sa.Column('created_at', peer_groups.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['auth_session_id'], ['auth_sessions.id'], name=op.f('fk_sso_sessions_auth_session_id_auth_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['provider_id'], ['sso_providers.id'], name=op.f('fk_sso_sessions_provider_id_sso_providers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sso_sessions')),
    sa.UniqueConstraint('auth_session_id', name=op.f('uq_sso_sessions_auth_session_id'))
    )
    with op.batch_alter_table('sso_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sso_sessions_provider_id'), ['provider_id'], unique=False)


def downgrade():
    with op.batch_alter_table('sso_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sso_sessions_provider_id'))
    op.drop_table('sso_sessions')
    op.drop_table('sso_providers')
