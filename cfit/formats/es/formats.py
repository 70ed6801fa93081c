# Spain groups thousands with a point in money and in spreadsheets: 1.234,5.
THOUSAND_SEPARATOR = "."
