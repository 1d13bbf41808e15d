"""The workshop: the facilitator's projector view, the participant's scoring and own-weights pages,
their logic and charts."""
