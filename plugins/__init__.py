"""The duties of a housing office, each a plugin found through the ``wuye`` entry-point group."""
