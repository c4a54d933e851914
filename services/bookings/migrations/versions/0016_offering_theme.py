"""the technical theme of an offer, filled in for the demo offers already loaded

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-29 16:40:00.000000
"""
from alembic import op
import sqlalchemy as sa

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

# The seed's offers (shared/seed/catalogue.py) as this revision knows them: a store loaded
# before themes existed gets theirs; other offers keep none until the backoffice gives one.
SEEDED_THEMES = {
    'insp-robotica': 'robotics', 'insp-duurzame-energie': 'sustainable_energy',
    'insp-elektrische-voertuigen': 'electric_vehicles', 'insp-schadeherstel': 'damage_repair',
    'insp-3d-printen': '3d_printing', 'insp-drones': 'drones', 'insp-vr': 'vr',
    'insp-po-techniek': 'robotics', 'mk-robotica': 'robotics', 'mk-3d-ontwerpen': '3d_printing',
    'mk-elektrisch-rijden': 'electric_vehicles', 'mk-plastic-fantastic': 'sustainable_energy',
    'kv-1232': 'construction', 'kv-1228': 'construction', 'kv-1419': 'electric_vehicles',
    'kv-1412': 'damage_repair', 'kv-1317': 'metal', 'kv-1327': 'sustainable_energy',
    'kv-1313': 'metal', 'kv-1329': 'robotics', 'kv-1906': 'robotics',
    'po-lessenserie-robotica': 'robotics', 'po-lessenserie-duurzaamheid': 'sustainable_energy',
    'bedrijfsbezoek-bouw': 'construction', 'bedrijfsbezoek-installatie': 'installation',
    'stage-bouw-2026': 'construction',
}


def upgrade() -> None:
    with op.batch_alter_table('offerings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('theme', sa.String(length=40), nullable=True))
        batch_op.create_index('ix_offerings_theme', ['theme'], unique=False)
    offerings = sa.table('offerings', sa.column('id', sa.String), sa.column('theme', sa.String))
    for offering_id, theme in SEEDED_THEMES.items():
        op.execute(offerings.update().where(offerings.c.id == offering_id,
                                            offerings.c.theme.is_(None)).values(theme=theme))


def downgrade() -> None:
    with op.batch_alter_table('offerings', schema=None) as batch_op:
        batch_op.drop_index('ix_offerings_theme')
        batch_op.drop_column('theme')
