"""PII detection: Chinese and international recognizers on Presidio, run offline and fast.

``analyze_text(text)`` finds entities in one string; ``scan_paths(paths)`` scans files
and directories (per-column classification, cell hits through a callback). The
recognizers are Presidio recognizers (``recognizers.RECOGNIZERS``);
``engine.FastAnalyzer`` runs them with Presidio's scoring semantics, and
``engine.build_presidio_analyzer`` gives Presidio's own AnalyzerEngine over the same
registry. Nothing is downloaded, ever.
"""
