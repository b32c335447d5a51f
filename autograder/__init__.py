"""PyTorch course autograder."""
