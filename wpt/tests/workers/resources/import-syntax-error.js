this is not JavaScript (
