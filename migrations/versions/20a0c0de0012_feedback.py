"""Young people's anonymous feedback after a meeting: answers apart from who answered

Revision ID: 20a0c0de0012
Revises: 19a0c0de0010
Create Date: 2026-12-01 15:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '20a0c0de0012'
down_revision = '19a0c0de0010'
branch_labels = None
depends_on = None


def person_and_meeting(name):
    # WITHOUT ROWID on SQLite: no hidden row number keeps the order of insertion.
    op.create_table(
        name,
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'],
                                name=op.f(f'fk_{name}_meeting_id_meetings'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f(f'fk_{name}_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('meeting_id', 'user_id', name=op.f(f'pk_{name}')),
        sqlite_with_rowid=False,
    )
    op.create_index(op.f(f'ix_{name}_user_id'), name, ['user_id'], unique=False)


def upgrade():
    op.create_table(
        'feedback_answers',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('rating', sa.Integer(), nullable=False),
        sa.Column('again', sa.Enum('yes', 'maybe', 'no', name='again', native_enum=False,
                                   create_constraint=True, length=32), nullable=False),
        sa.Column('next_time', sa.String(length=140), nullable=True),
        sa.CheckConstraint('rating BETWEEN 1 AND 5',
                           name=op.f('ck_feedback_answers_rating_on_scale')),
        sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'],
                                name=op.f('fk_feedback_answers_meeting_id_meetings'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_answers')),
        sqlite_with_rowid=False,
    )
    op.create_index(op.f('ix_feedback_answers_meeting_id'), 'feedback_answers', ['meeting_id'],
                    unique=False)
    person_and_meeting('feedback_given')
    person_and_meeting('feedback_dismissed')


def downgrade():
    for name in ('feedback_dismissed', 'feedback_given'):
        op.drop_index(op.f(f'ix_{name}_user_id'), table_name=name)
        op.drop_table(name)
    op.drop_index(op.f('ix_feedback_answers_meeting_id'), table_name='feedback_answers')
    op.drop_table('feedback_answers')
