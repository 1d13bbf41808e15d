"""Results: the dashboard (overview), sensitivity and portfolio pages, what they show
(:mod:`.results`: live round or frozen version, cached analyses), their charts, one object in detail
and the tier editor."""
