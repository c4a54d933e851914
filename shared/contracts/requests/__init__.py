"""Bodies of the commands front ends send, one module per service."""
