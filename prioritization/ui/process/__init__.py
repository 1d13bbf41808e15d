"""The process around the decision: timeline, follow-up (bevakning), versions and the audit log,
their logic and charts."""
