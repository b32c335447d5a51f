"""Trusted helpers that run next to the student's code and return data.

A probe is a plain function ``probe(module, *args, **kwargs)`` in this
package. Hidden tests call it as ``student.probe(probes.p02.fit_from, ...)``;
the executor refuses any function outside this package. Probes do what must
happen beside the student's code: autograd through their function, loading a
reference ``state_dict`` into their model, running their training loop on
seeded data. They never import the reference solutions.
"""
