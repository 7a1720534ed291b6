"""Warehouse connections, the embedded cluster, migrations and roles."""
