"""The ``wuye`` command line: ``main`` (the program), ``support`` (what every command uses), ``commands``
(core's commands), ``workdays`` and ``demo``."""
