"""Link requests: "send me a link" written down, answered by the outbox worker

Revision ID: 21b0c0de0013
Revises: 21a0c0de0009
Create Date: 2026-12-01 16:00:00

"""
from alembic import op
import sqlalchemy as sa

import peer_groups.db


# revision identifiers, used by Alembic.
revision = '21b0c0de0013'
down_revision = '21a0c0de0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'link_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('purpose', sa.Enum('sign_in', 'password_reset', 'set_password',
                                     name='tokenpurpose', native_enum=False,
                                     create_constraint=True, length=32), nullable=False),
        sa.Column('identifier', sa.String(length=254), nullable=False),
        sa.Column('link_base', sa.String(length=300), nullable=False),
        sa.Column('created_at', peer_groups.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_link_requests')),
    )


def downgrade():
    op.drop_table('link_requests')
