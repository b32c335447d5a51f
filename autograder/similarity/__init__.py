"""Similarity check of a class: pairs of submissions whose code overlaps more than chance.

Each submission is read as the grader reads it (a folder, a .py file or a
notebook becomes one module's source), and fingerprinted with copydetect
(winnowing, as MOSS does): comments and docstrings are dropped, names and
strings are blurred, so renaming variables does not hide a copy. The stub's
own text (docstrings, signatures, the code given to everyone) is boilerplate:
it never counts as an overlap. Every pair is compared; those whose overlap
reaches the threshold are flagged.
"""

from autograder.similarity.compare import Pair, SimilarityResult, compare_class
from autograder.similarity.report import similarity_csv, similarity_html

__all__ = ["Pair", "SimilarityResult", "compare_class", "similarity_csv", "similarity_html"]
