"""Local operations: Kafka and PostgreSQL nodes, service processes, the `python -m ops` CLI."""
