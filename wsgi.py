"""Entry point for production servers: ``gunicorn wsgi:app``."""
from giveaway import create_app

app = create_app()
