"""The register's tables, as SQLAlchemy Core metadata (the latest schema version).

A change to a table here needs a new step in ``migrations`` that brings an existing
register to the same shape; the tests compare a migrated register with a fresh one.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

schema_version = Table(
    "register_schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("description", Text, nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)

documents = Table(
    "register_documents",
    metadata,
    Column("number", String(200), primary_key=True),
    Column("client", Text, nullable=False),
    Column("current_revision_id", Integer, nullable=True),
    Column("registered_at", DateTime(timezone=True), nullable=False),
)

revisions = Table(
    "register_revisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("number", String(200), ForeignKey("register_documents.number"), nullable=False),
    Column("revision_mark", String(100), nullable=False),
    Column("revision_date", Date, nullable=False),
    Column("state", String(20), nullable=False),
    Column("client", Text, nullable=False),
    Column("bank", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("control_status", String(10), nullable=False),
    Column("drafted", Date, nullable=False),
    Column("reviewed", Date, nullable=False),
    Column("approved", Date, nullable=False),
    Column("executing_department", Text, nullable=False),
    Column("supervising_department", Text, nullable=False),
    Column("verifying_department", Text, nullable=False),
    Column("input_sha256", String(64), nullable=False),
    Column("template_sha256", String(64), nullable=False),
    Column("profile_sha256", String(64), nullable=True),
    Column("plandoc_version", String(40), nullable=False),
    Column("source", Text, nullable=False),
    Column("issued_by", Text, nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("number", "revision_mark", name="register_revisions_number_mark"),
)

outputs = Table(
    "register_outputs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("revision_id", Integer, ForeignKey("register_revisions.id"), nullable=False),
    Column("format", String(10), nullable=False),
    Column("path", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    UniqueConstraint("revision_id", "sha256", name="register_outputs_revision_sha256"),
)

events = Table(
    "register_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("number", String(200), ForeignKey("register_documents.number"), nullable=False),
    Column("revision_id", Integer, ForeignKey("register_revisions.id"), nullable=False),
    Column("from_state", String(20), nullable=True),
    Column("to_state", String(20), nullable=False),
    Column("reason", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

# Added by migration 2: verify looks files up by hash, history by number.
OUTPUT_HASH_INDEX = Index("register_outputs_sha256", outputs.c.sha256)
EVENT_NUMBER_INDEX = Index("register_events_number", events.c.number, events.c.id)

VERSION_1_TABLES = (schema_version, documents, revisions, outputs, events)
