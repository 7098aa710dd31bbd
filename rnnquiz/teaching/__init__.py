"""What reads across the types: checking an answer and diagnosing its slips, generating
exercises, probing a network."""
