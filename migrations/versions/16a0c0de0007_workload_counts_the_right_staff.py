"""A group may leave its expected size to its area; an area says whether experts' hours count

Revision ID: 16a0c0de0007
Revises: 15b0c0de0006
Create Date: 2026-12-01 12:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '16a0c0de0007'
down_revision = '15b0c0de0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('experts_count_as_capacity', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.alter_column('experts_count_as_capacity', server_default=None)
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.alter_column('target_size', existing_type=sa.Integer(), nullable=True)
    # 8 was the group form's prefilled default and the service's own: a group showing it set
    # nothing of its own, so it now follows its area (where the area set nothing, still 8).
    op.execute("UPDATE groups SET target_size = NULL WHERE target_size = 8")


def downgrade():
    op.execute("UPDATE groups SET target_size = 8 WHERE target_size IS NULL")
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.alter_column('target_size', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.drop_column('experts_count_as_capacity')
