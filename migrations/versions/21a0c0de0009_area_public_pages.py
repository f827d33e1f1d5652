"""An area's own words on the public pages: controller, data protection officer, contact, note

Revision ID: 21a0c0de0009
Revises: 16a0c0de0007
Create Date: 2026-12-01 13:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '21a0c0de0009'
down_revision = '16a0c0de0007'
branch_labels = None
depends_on = None

COLUMNS = (("controller", sa.String(length=200)), ("protection_officer", sa.Text()),
           ("contact", sa.Text()), ("pages_note", sa.Text()))


def upgrade():
    # Existing areas start empty (the pages then say the area has not filled it in yet).
    with op.batch_alter_table('areas', schema=None) as batch_op:
        for name, kind in COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=False, server_default=''))
    with op.batch_alter_table('areas', schema=None) as batch_op:
        for name, kind in COLUMNS:
            batch_op.alter_column(name, existing_type=kind, server_default=None)


def downgrade():
    with op.batch_alter_table('areas', schema=None) as batch_op:
        for name, _kind in reversed(COLUMNS):
            batch_op.drop_column(name)
