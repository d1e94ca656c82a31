"""Built-in jurisdiction profiles: the law of each place as data, every value with its article."""
