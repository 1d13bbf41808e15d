"""Setting up a round: the rounds page and the criteria, weights, objects and participants editors."""
