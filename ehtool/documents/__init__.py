"""Files in and out: plan documents (Jinja, docx), the agenda workbook (write, read
back), the board workbook, bounded reading of what people hand ehtool, and the
bundled threshold profiles and outcome frameworks."""
