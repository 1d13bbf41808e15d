"""Alembic environment: uses the connection handed over by ``database.migrate``."""

from alembic import context

from prioritization.storage.schema import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - command-line use
    from sqlalchemy import create_engine

    from prioritization.storage.database import default_url

    connection = create_engine(default_url()).connect()

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
