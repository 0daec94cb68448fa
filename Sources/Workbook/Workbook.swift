// The Workbook presentation layer: placeholder.
