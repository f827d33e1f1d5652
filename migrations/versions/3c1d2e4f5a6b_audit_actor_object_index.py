"""An index for the register's "viewed in the last half hour" check on the audit trail

Revision ID: 3c1d2e4f5a6b
Revises: ecf47b022c2e
Create Date: 2026-11-30 06:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '3c1d2e4f5a6b'
down_revision = 'ecf47b022c2e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_audit_events_actor_object_occurred',
                              ['actor_id', 'object_id', 'occurred_at'], unique=False)


def downgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_actor_object_occurred')
