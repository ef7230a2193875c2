"""Developer tools: the benchmark, the template builder, the example workbook."""
