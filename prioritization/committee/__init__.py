"""The committee's round after the summer (issue 13): the municipalities' needs and wishes, local
input points, the screening before scoring, anchoring of the draft list and the recorded decision.
Pure domain code (no Streamlit, no storage): :mod:`.model` (values), :mod:`.fileformat` (the
project file's ``committee`` section), :mod:`.decision` (which departures from the model need a
reason)."""
