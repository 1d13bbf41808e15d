"""The committee's round after the summer (issue 13): the municipal representatives' input page
(proposals, wishes, local input points, their stance on the draft list) and the facilitator's
committee page (members and window, proposals, screening, anchoring, the decision)."""
