"""Entry point for production servers: ``gunicorn wsgi:app``."""
from giveaway import create_app
from giveaway.factory import require_production_settings

app = create_app()
require_production_settings(app)
