"""License conflict detection over a project's dependencies."""
