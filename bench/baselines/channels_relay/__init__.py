"""A minimal Channels project with one relay consumer, for the Daphne baselines."""
