"""Meetings count the changes to their plan: the young people's page cache key (#18)

Revision ID: 1fa0c0de0018
Revises: 19b0c0de0011
Create Date: 2026-12-01 19:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1fa0c0de0018'
down_revision = '19b0c0de0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plan_version', sa.Integer(), nullable=False,
                                      server_default='0'))
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.alter_column('plan_version', existing_type=sa.Integer(), server_default=None)


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('plan_version')
