"""prize delivery and staff follow checks

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 13:00:00

"""
from alembic import op
import sqlalchemy as sa

import giveaway.db_types


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contest', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prize_delivery', sa.String(length=8),
                                      server_default='pickup', nullable=False))
        batch_op.add_column(sa.Column('prize_pickup_place', sa.String(length=200),
                                      server_default='', nullable=False))

    with op.batch_alter_table('candidate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('follow_check_source', sa.String(length=16),
                                      nullable=True))
        batch_op.add_column(sa.Column('follow_checked_at', giveaway.db_types.UTCDateTime(),
                                      nullable=True))
        batch_op.add_column(sa.Column('follow_checked_by', sa.String(length=254),
                                      nullable=True))
        batch_op.add_column(sa.Column('follow_justification', sa.Text(), server_default='',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('candidate', schema=None) as batch_op:
        batch_op.drop_column('follow_justification')
        batch_op.drop_column('follow_checked_by')
        batch_op.drop_column('follow_checked_at')
        batch_op.drop_column('follow_check_source')

    with op.batch_alter_table('contest', schema=None) as batch_op:
        batch_op.drop_column('prize_pickup_place')
        batch_op.drop_column('prize_delivery')
