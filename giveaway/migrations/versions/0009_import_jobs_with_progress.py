"""import jobs with progress

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 13:00:00

"""
from alembic import op
import sqlalchemy as sa

import giveaway.db_types


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


ACTIVE = "state IN ('queued', 'reading', 'storing')"


def upgrade():
    op.create_table('import_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('expected_rows', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('worker_token', sa.String(length=32), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('rows_read', sa.Integer(), nullable=False),
    sa.Column('comments_stored', sa.Integer(), nullable=False),
    sa.Column('comments_new', sa.Integer(), nullable=False),
    sa.Column('error_code', sa.String(length=32), nullable=False),
    sa.Column('error_params', sa.JSON(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.String(length=254), nullable=False),
    sa.Column('created_at', giveaway.db_types.UTCDateTime(), nullable=False),
    sa.Column('started_at', giveaway.db_types.UTCDateTime(), nullable=True),
    sa.Column('heartbeat_at', giveaway.db_types.UTCDateTime(), nullable=True),
    sa.Column('stored_at', giveaway.db_types.UTCDateTime(), nullable=True),
    sa.Column('ended_at', giveaway.db_types.UTCDateTime(), nullable=True),
    sa.CheckConstraint("state IN ('queued', 'reading', 'storing', 'evaluating', 'done', 'failed')",
                       name=op.f('ck_import_job_state_known')),
    sa.ForeignKeyConstraint(['contest_id'], ['contest.id'],
                            name=op.f('fk_import_job_contest_id_contest'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['import_id'], ['import_file.id'],
                            name=op.f('fk_import_job_import_id_import_file'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_job'))
    )
    with op.batch_alter_table('import_job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_job_contest_id'), ['contest_id'], unique=False)
        batch_op.create_index('uq_import_job_one_active', ['contest_id'], unique=True,
                              sqlite_where=sa.text(ACTIVE), postgresql_where=sa.text(ACTIVE))

    op.create_table('evaluation_request',
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', giveaway.db_types.UTCDateTime(), nullable=False),
    sa.Column('failed_at', giveaway.db_types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['contest_id'], ['contest.id'],
                            name=op.f('fk_evaluation_request_contest_id_contest'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contest_id', name=op.f('pk_evaluation_request'))
    )


def downgrade():
    op.drop_table('evaluation_request')
    with op.batch_alter_table('import_job', schema=None) as batch_op:
        batch_op.drop_index('uq_import_job_one_active', sqlite_where=sa.text(ACTIVE),
                            postgresql_where=sa.text(ACTIVE))
        batch_op.drop_index(batch_op.f('ix_import_job_contest_id'))
    op.drop_table('import_job')
