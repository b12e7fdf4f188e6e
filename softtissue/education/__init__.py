"""Client education: condition leaflets, browsable, printable and recorded when given."""
