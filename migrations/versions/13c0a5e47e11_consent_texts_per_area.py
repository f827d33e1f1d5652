"""Consent texts belong to an area: each area gets its own copy of every version

Each area is its own controller's service (DESIGN rule 13). The rows without an area stay as
the service's default texts, which new areas start from. Every existing area gets a copy of
every default version (same version number, minor flag, words, publication time), and each
consent answer is re-pointed to the copy in its person's area: the proof keeps the exact text
the person answered, and a later text in one area asks only that area's young people again.

Revision ID: 13c0a5e47e11
Revises: 3c1d2e4f5a6b
Create Date: 2026-12-01 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '13c0a5e47e11'
down_revision = '3c1d2e4f5a6b'
branch_labels = None
depends_on = None

DEFAULT = sa.text("area_id IS NULL")


def upgrade():
    with op.batch_alter_table('consent_texts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('area_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_consent_texts_area_id_areas'), 'areas',
                                    ['area_id'], ['id'], ondelete='RESTRICT')
        batch_op.drop_constraint('uq_consent_texts_purpose_version', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_consent_texts_area_id_purpose_version'),
                                          ['area_id', 'purpose', 'version'])
    with op.batch_alter_table('consent_texts', schema=None) as batch_op:
        batch_op.create_index('uq_consent_texts_default_purpose_version', ['purpose', 'version'],
                              unique=True, sqlite_where=DEFAULT, postgresql_where=DEFAULT)

    op.execute(
        "INSERT INTO consent_texts (area_id, purpose, version, minor, text_fi, text_sv, text_en,"
        " published_at, published_by_id)"
        " SELECT areas.id, t.purpose, t.version, t.minor, t.text_fi, t.text_sv, t.text_en,"
        " t.published_at, t.published_by_id"
        " FROM areas CROSS JOIN consent_texts t WHERE t.area_id IS NULL")
    # Each answer to its area's copy of the same version: the words are the same, so the proof
    # is unchanged. Answers of people without an area (none are young people) stay as they are.
    op.execute(
        "UPDATE consent_answers SET text_id = ("
        " SELECT own.id FROM consent_texts own"
        " JOIN consent_texts old ON old.purpose = own.purpose AND old.version = own.version"
        " JOIN users ON users.area_id = own.area_id"
        " WHERE old.id = consent_answers.text_id AND users.id = consent_answers.user_id)"
        " WHERE EXISTS (SELECT 1 FROM users WHERE users.id = consent_answers.user_id"
        " AND users.area_id IS NOT NULL)")


def downgrade():
    # Back to one set of texts for everyone: answers go back to the default of the same
    # version when its words are the same. An area's own newer text has nowhere to go, so
    # the downgrade stops rather than lose what a person agreed to.
    op.execute(
        "UPDATE consent_answers SET text_id = ("
        " SELECT old.id FROM consent_texts old JOIN consent_texts own"
        " ON old.purpose = own.purpose AND old.version = own.version"
        " AND old.text_fi = own.text_fi AND old.text_sv = own.text_sv"
        " AND old.text_en = own.text_en"
        " WHERE own.id = consent_answers.text_id AND old.area_id IS NULL)"
        " WHERE text_id IN (SELECT id FROM consent_texts WHERE area_id IS NOT NULL)")
    op.execute("DELETE FROM consent_texts WHERE area_id IS NOT NULL")
    with op.batch_alter_table('consent_texts', schema=None) as batch_op:
        batch_op.drop_index('uq_consent_texts_default_purpose_version')
        batch_op.drop_constraint(batch_op.f('uq_consent_texts_area_id_purpose_version'),
                                 type_='unique')
        batch_op.drop_constraint(batch_op.f('fk_consent_texts_area_id_areas'),
                                 type_='foreignkey')
        batch_op.drop_column('area_id')
        batch_op.create_unique_constraint('uq_consent_texts_purpose_version',
                                          ['purpose', 'version'])
