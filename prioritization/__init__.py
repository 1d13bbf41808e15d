"""Decision support for prioritising regional transport infrastructure.

The package is layered (data flows one way):

* :mod:`prioritization.engine` - pure NumPy kernels implementing ``spec/METHODS.md``;
* :mod:`prioritization.model` and :mod:`prioritization.projectfile` - validated project data
  and the portable JSON project file (format version 1);
* :mod:`prioritization.analysis` - project -> matrices -> engine -> plain result objects;
* :mod:`prioritization.cli` - the ``prioritization`` command line.
"""

__version__ = "0.1.0"
