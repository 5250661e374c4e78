"""Peewee models on one SQLite file, its migrations and the repository."""
