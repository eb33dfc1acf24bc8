"""Report rendering: Jinja2 templates, HTML to PDF with WeasyPrint, charts, signing."""
